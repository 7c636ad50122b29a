package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UIDTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.840.10008.1.2.1",
        "0",
        "1.0.2",
        "2.25.329800735698586629295641978511506172918",
        "1.2.826.0.1.3680043.2.1125.1.4242",
        "9"
      })
  void acceptsValidUids(String uid) {
    assertThat(UID.isValid(uid)).isTrue();
    assertThat(UID.requireValid(uid)).isSameAs(uid);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "1.",
        ".1",
        "1..2",
        "1.02",
        "01.2",
        "1.2.a",
        "1.2 ",
        " 1.2",
        "1,2",
        "1.2\u0000",
        "-1.2",
        "1.2.840.10008.1.2.1.99999999999999999999999999999999999999999999999999"
      })
  void rejectsInvalidUids(String uid) {
    assertThat(UID.isValid(uid)).isFalse();
    assertThatThrownBy(() -> UID.requireValid(uid))
        .isInstanceOf(InvalidUidException.class)
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheReason() {
    assertThatThrownBy(() -> UID.requireValid("1.02.3"))
        .hasMessageContaining("leading zero at position 2");
    assertThatThrownBy(() -> UID.requireValid("1.2.x")).hasMessageContaining("'x' at position 4");
    assertThatThrownBy(() -> UID.requireValid("1" + ".1".repeat(32)))
        .hasMessageContaining("longer than 64");
    assertThatThrownBy(() -> UID.requireValid(null)).hasMessageContaining("missing");
    assertThatThrownBy(() -> UID.requireValid("1..2")).hasMessageContaining("empty component");
  }

  @Test
  void acceptsExactly64Characters() {
    String uid64 = "1.2." + "3".repeat(60);
    assertThat(uid64).hasSize(64);
    assertThat(UID.isValid(uid64)).isTrue();
    assertThat(UID.isValid(uid64 + "4")).isFalse();
  }

  @Test
  void classifiesTransferSyntaxes() {
    assertThat(UID.isImplicitVR(UID.ImplicitVRLittleEndian)).isTrue();
    assertThat(UID.isBigEndian(UID.ExplicitVRBigEndian)).isTrue();
    assertThat(UID.isDeflated(UID.DeflatedExplicitVRLittleEndian)).isTrue();
    // JPIP Referenced Deflate deflates the data set; Deflated Image Frame Compression and the
    // fragmentable MPEG2 syntax do not.
    assertThat(UID.isDeflated("1.2.840.10008.1.2.4.95")).isTrue();
    assertThat(UID.isDeflated("1.2.840.10008.1.2.8.1")).isFalse();
    assertThat(UID.isDeflated("1.2.840.10008.1.2.4.100.1")).isFalse();
    assertThat(UID.isNative(UID.JPEGBaseline8Bit)).isFalse();
    assertThat(UID.isNative(UID.ExplicitVRLittleEndian)).isTrue();
    assertThat(UID.isValid(DicomOutputStream.IMPLEMENTATION_CLASS_UID)).isTrue();
  }
}
