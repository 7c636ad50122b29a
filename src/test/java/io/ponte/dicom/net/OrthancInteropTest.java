package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.DicomSamples;
import io.ponte.testing.Orthanc;
import io.ponte.testing.Peers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc, an independent implementation, plays the hospital PACS: it C-STOREs instances to our SCP
 * and to dcmtk's storescp in bit-preserving mode (the oracle for the bytes Orthanc puts on the
 * wire); our handler must get exactly those bytes.
 */
class OrthancInteropTest {

  @TempDir Path tmp;

  @Test
  void orthancSendsInstancesThatArriveByteForByte() throws Exception {
    Peers.require(Orthanc.installed(), "Orthanc (Debian: orthanc)");
    Path samples = DicomSamples.require();
    RecordingStoreHandler handler =
        new RecordingStoreHandler(Files.createDirectories(tmp.resolve("ours")));
    Path oracleDir = Files.createDirectories(tmp.resolve("oracle"));
    try (DicomServer ours = TestServers.start(TestServers.config(TestServers.ALL_TS), handler);
        StorescpOracle oracle = new StorescpOracle(oracleDir)) {
      try (Orthanc orthanc =
          Orthanc.builder(Files.createDirectories(tmp.resolve("orthanc")))
              .aeTitle("HOSPPACS")
              .modality("ponte", TestServers.AE, ours.port())
              .modality("oracle", TestServers.AE, oracle.port())
              .start()) {
        HttpResponse<String> echo = orthanc.post("/modalities/ponte/echo", "{}");
        assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);

        for (String name :
            List.of(
                "CT_small.dcm",
                "MR_small_jpeg_ls_lossless.dcm",
                "JPGExtended.dcm",
                "SC_rgb_rle.dcm",
                "liver_1frame.dcm",
                "rtplan.dcm")) {
          String id = orthanc.upload(samples.resolve(name));
          HttpResponse<String> toOracle = orthanc.post("/modalities/oracle/store", id);
          assertThat(toOracle.statusCode()).as(toOracle.body()).isEqualTo(200);
          Path truth = oracle.takeReceived(tmp.resolve("truth.dcm"));

          handler.received().clear();
          HttpResponse<String> toUs = orthanc.post("/modalities/ponte/store", id);
          assertThat(toUs.statusCode()).as(toUs.body()).isEqualTo(200);
          assertThat(handler.received()).hasSize(1);
          RecordingStoreHandler.Received got = handler.received().get(0);
          Part10Oracle.Meta sent = Part10Oracle.meta(truth);
          assertThat(got.request().callingAeTitle()).isEqualTo("HOSPPACS");
          assertThat(got.request().sopInstanceUid()).isEqualTo(sent.sopInstance());
          assertThat(got.request().transferSyntaxUid()).as(name).isEqualTo(sent.transferSyntax());
          assertThat(got.sha256())
              .as(name + " data set SHA-256")
              .isEqualTo(RecordingStoreHandler.sha256(Part10Oracle.dataset(truth)));
          System.out.println(
              "Orthanc -> Ponte byte-identical: " + name + " in " + sent.transferSyntax());
        }

        // A refusal reaches Orthanc as a failed store, not as a success.
        handler.answer(r -> DimseStatus.of(DimseStatus.OUT_OF_RESOURCES, "disk full"));
        String id = orthanc.upload(samples.resolve("MR_small.dcm"));
        assertThat(orthanc.post("/modalities/ponte/store", id).statusCode()).isNotEqualTo(200);
      }
    }
  }
}
