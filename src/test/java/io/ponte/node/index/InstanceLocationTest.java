package io.ponte.node.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where an instance's bytes are in its blob: a packed instance's range never reaches past it. */
class InstanceLocationTest {

  /** 100 bytes at 1,000 in a pack that goes on past them (the next instance, the trailer). */
  private static final InstanceLocation PACKED =
      new InstanceLocation("1.2.3", 100, "00", null, "1/2/pack-a.pack", 1_000);

  private static final InstanceLocation OWN =
      new InstanceLocation("1.2.3", 100, "00", null, "1/2/1.2.3.dcm");

  @Test
  void aPackedInstanceIsReadFromItsOffsetInThePack() {
    assertThat(PACKED.blobOffset(0)).isEqualTo(1_000);
    assertThat(PACKED.blobOffset(40)).isEqualTo(1_040);
    assertThat(OWN.blobOffset(40)).isEqualTo(40);
  }

  @Test
  void toItsEndIsExactlyItsOwnBytes() {
    assertThat(PACKED.blobLength(0, -1)).isEqualTo(100);
    assertThat(PACKED.blobLength(40, -1)).isEqualTo(60);
    assertThat(PACKED.blobLength(100, -1)).isZero();
    assertThat(PACKED.blobLength(150, -1)).isZero();
  }

  @Test
  void anExplicitLengthPastItsEndReadsShortNotIntoTheNextInstance() {
    assertThat(PACKED.blobLength(0, 100)).isEqualTo(100);
    assertThat(PACKED.blobLength(10, 20)).isEqualTo(20);
    assertThat(PACKED.blobLength(90, 20)).isEqualTo(10);
    assertThat(PACKED.blobLength(0, 1_000)).isEqualTo(100);
    assertThat(PACKED.blobLength(100, 5)).isZero();
    assertThat(PACKED.blobLength(150, 5)).isZero();
  }

  @Test
  void anInstanceWithABlobOfItsOwnIsBoundedByTheObject() {
    assertThat(OWN.blobLength(0, -1)).isEqualTo(-1);
    assertThat(OWN.blobLength(90, 20)).isEqualTo(20);
  }
}
