package io.ponte.node.ingest.stow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.net.DimseStatus;
import org.junit.jupiter.api.Test;

class StowOutcomeTest {

  @Test
  void statusIs200WhenAllStored202WhenSomeFailed409WhenNoneStored() {
    StowOutcome all = new StowOutcome(null);
    all.stored(new StowOutcome.Stored("1.2", "1.2.3", "http://x"));
    assertThat(all.httpStatus()).isEqualTo(200);
    all.failed(new StowOutcome.Failed(null, null, DimseStatus.CANNOT_UNDERSTAND, "bad"));
    assertThat(all.httpStatus()).isEqualTo(202);
    StowOutcome none = new StowOutcome(null);
    none.failed(new StowOutcome.Failed("1.2", "1.2.4", DimseStatus.DUPLICATE_SOP_INSTANCE, "dup"));
    assertThat(none.httpStatus()).isEqualTo(409);
  }

  @Test
  void writesTheStoreInstancesResponseModuleAsDicomJson() throws Exception {
    StowOutcome outcome = new StowOutcome("http://node/dicomweb/studies/1.2.3");
    outcome.stored(new StowOutcome.Stored("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4", "http://node/i"));
    outcome.failed(new StowOutcome.Failed(null, null, DimseStatus.CANNOT_UNDERSTAND, "garbage"));
    JsonNode json = new ObjectMapper().readTree(StowResponseWriter.json(outcome));
    assertThat(json.at("/00081190/vr").asText()).isEqualTo("UR");
    assertThat(json.at("/00081190/Value/0").asText())
        .isEqualTo("http://node/dicomweb/studies/1.2.3");
    assertThat(json.at("/00081199/Value/0/00081150/Value/0").asText())
        .isEqualTo("1.2.840.10008.5.1.4.1.1.2");
    assertThat(json.at("/00081199/Value/0/00081155/Value/0").asText()).isEqualTo("1.2.3.4");
    assertThat(json.at("/00081198/Value/0/00081197/vr").asText()).isEqualTo("US");
    assertThat(json.at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xC000);
    // Unknown UIDs are present but empty (type 1 in the macro, yet nothing honest to put there).
    assertThat(json.at("/00081198/Value/0/00081155/Value").isMissingNode()).isTrue();
    // No comment text leaks into the module.
    assertThat(json.toString()).doesNotContain("garbage");
  }

  @Test
  void writesTheStoreInstancesResponseModuleAsNativeDicomXml() {
    StowOutcome outcome = new StowOutcome(null);
    outcome.stored(new StowOutcome.Stored("1.2", "1.2.3.4", "http://node/i"));
    String xml = StowResponseWriter.xml(outcome);
    assertThat(xml)
        .contains("<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\">")
        .contains("tag=\"00081199\" vr=\"SQ\" keyword=\"ReferencedSOPSequence\"")
        .contains("<Value number=\"1\">1.2.3.4</Value>")
        .doesNotContain("FailedSOPSequence");
  }
}
