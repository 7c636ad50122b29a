package io.ponte.node.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.UID;
import io.ponte.error.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The multipart/related negotiation instances and bulk data share (PS3.18 8.7.3.5.2). */
class WadoAcceptTest {

  static final String IMPLICIT = UID.ImplicitVRLittleEndian;
  static final String EXPLICIT = UID.ExplicitVRLittleEndian;
  static final String JPEG = "1.2.840.10008.1.2.4.50";

  static MediaType related(String type, String transferSyntax) {
    Map<String, String> parameters = new HashMap<>();
    if (type != null) {
      parameters.put("type", type);
    }
    if (transferSyntax != null) {
      parameters.put("transfer-syntax", transferSyntax);
    }
    return new MediaType("multipart", "related", parameters);
  }

  static UnaryOperator<String> instances(List<String> stored, MediaType... accepted) {
    return WadoAccept.instanceSyntaxes(List.of(accepted), stored);
  }

  @Test
  void instancesAreServedInTheDefaultSyntaxWithoutATransferSyntaxParameter() {
    for (MediaType[] accepted :
        new MediaType[][] {
          {}, {MediaType.WILDCARD_TYPE}, {related(WadoAccept.DICOM, null)}, {related(null, null)}
        }) {
      UnaryOperator<String> served = instances(List.of(IMPLICIT, JPEG), accepted);
      assertThat(served.apply(IMPLICIT)).isEqualTo(EXPLICIT);
      assertThat(served.apply(JPEG)).isEqualTo(JPEG);
    }
  }

  @Test
  void instancesAreServedAsStoredForAWildcardSyntax() {
    UnaryOperator<String> served =
        instances(List.of(IMPLICIT, JPEG), related(WadoAccept.DICOM, "*"));
    assertThat(served.apply(IMPLICIT)).isEqualTo(IMPLICIT);
    assertThat(served.apply(JPEG)).isEqualTo(JPEG);
  }

  @Test
  void aNamedSyntaxIsServedWhenEveryStoredOneIsOrIsReEncodedToIt() {
    assertThat(
            instances(List.of(IMPLICIT, EXPLICIT), related(WadoAccept.DICOM, EXPLICIT))
                .apply(IMPLICIT))
        .isEqualTo(EXPLICIT);
    assertThat(instances(List.of(JPEG), related(WadoAccept.DICOM, JPEG)).apply(JPEG))
        .isEqualTo(JPEG);
    assertThatThrownBy(
            () -> instances(List.of(IMPLICIT, JPEG), related(WadoAccept.DICOM, EXPLICIT)))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("re-encodes only uncompressed instances")
        .hasMessageContaining("does not transcode to " + EXPLICIT);
  }

  @Test
  void aLaterRangeIsTriedAfterARefusedSyntaxOrAnotherPartType() {
    UnaryOperator<String> served =
        instances(
            List.of(IMPLICIT),
            related(WadoAccept.DICOM, JPEG),
            related(WadoAccept.OCTET_STREAM, null),
            new MediaType("application", "json"),
            related(WadoAccept.DICOM, "*"));
    assertThat(served.apply(IMPLICIT)).isEqualTo(IMPLICIT);
  }

  @Test
  void instancesOfAnotherPartTypeAreRefusedNamingTheirs() {
    assertThatThrownBy(() -> instances(List.of(IMPLICIT), related(WadoAccept.OCTET_STREAM, null)))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("served as multipart/related; type=\"application/dicom\"");
    assertThatThrownBy(() -> instances(List.of(IMPLICIT), new MediaType("application", "json")))
        .isInstanceOf(ProblemException.class);
  }

  @Test
  void bulkDataIsServedAsStoredOrInTheSyntaxItIsStoredIn() {
    List<String> stored = List.of(EXPLICIT);
    for (MediaType m :
        List.of(
            MediaType.WILDCARD_TYPE,
            related(null, null),
            related(WadoAccept.OCTET_STREAM, null),
            related("*/*", null),
            new MediaType("multipart", "*", Map.of("type", WadoAccept.OCTET_STREAM)),
            related(WadoAccept.OCTET_STREAM, "*"),
            related(WadoAccept.OCTET_STREAM, EXPLICIT))) {
      WadoAccept.requireMultipart(List.of(m), WadoAccept.OCTET_STREAM, stored);
    }
    WadoAccept.requireMultipart(List.of(), WadoAccept.OCTET_STREAM, stored);
    WadoAccept.requireMultipart(
        List.of(related(WadoAccept.OCTET_STREAM, JPEG), related(WadoAccept.OCTET_STREAM, "*")),
        WadoAccept.OCTET_STREAM,
        stored);
  }

  /** A wildcard range is the default whatever its parameters, for instances and bulk data alike. */
  @Test
  void aWildcardRangeGetsTheDefaultWhateverItsParameters() {
    MediaType wildcard = new MediaType("*", "*", Map.of("transfer-syntax", JPEG));
    assertThat(instances(List.of(IMPLICIT), wildcard).apply(IMPLICIT)).isEqualTo(EXPLICIT);
    WadoAccept.requireMultipart(List.of(wildcard), WadoAccept.OCTET_STREAM, List.of(EXPLICIT));
  }

  @Test
  void bulkDataInAnotherSyntaxOrPartTypeIsRefused() {
    List<String> stored = List.of(EXPLICIT);
    assertThatThrownBy(
            () ->
                WadoAccept.requireMultipart(
                    List.of(related(WadoAccept.OCTET_STREAM, JPEG)),
                    WadoAccept.OCTET_STREAM,
                    stored))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining(
            "stored as " + EXPLICIT + "; this node does not transcode to " + JPEG);
    assertThatThrownBy(
            () ->
                WadoAccept.requireMultipart(
                    List.of(related(WadoAccept.DICOM, null)), WadoAccept.OCTET_STREAM, stored))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("served as multipart/related; type=\"application/octet-stream\"");
  }
}
