package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.blob.BlobStat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A copy counts only when the bytes sent were the indexed ones and the store shows them. */
class VerifiedCopyTest {

  private static final String SHA = "a".repeat(64);
  private static final String OTHER = "b".repeat(64);
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final InstanceLocation AT =
      new InstanceLocation("1.2.3", 100, SHA, null, "s/x/1.2.3");

  @Test
  void provenWhenSizeShaAndTheStoresMd5Agree() {
    assertThat(
            VerifiedCopy.problem(AT, 100, SHA, MD5, new BlobStat(100, Map.of("sha256", SHA), MD5)))
        .isNull();
    assertThat(
            VerifiedCopy.problem(
                AT, 100, SHA, MD5, new BlobStat(100, Map.of("sha256", SHA), MD5.toUpperCase())))
        .isNull();
    // a block-staged upload: the store keeps no MD5, size and SHA-256 decide
    assertThat(
            VerifiedCopy.problem(AT, 100, SHA, MD5, new BlobStat(100, Map.of("sha256", SHA), null)))
        .isNull();
  }

  @Test
  void refusedWhenTheSourceWasNotTheIndexedBytes() {
    assertThat(
            VerifiedCopy.problem(
                AT, 100, OTHER, MD5, new BlobStat(100, Map.of("sha256", SHA), MD5)))
        .contains("source");
    assertThat(VerifiedCopy.problem(AT, 99, SHA, MD5, new BlobStat(99, Map.of("sha256", SHA), MD5)))
        .contains("source");
  }

  @Test
  void refusedWhenTheStoreDoesNotShowTheCopy() {
    assertThat(VerifiedCopy.problem(AT, 100, SHA, MD5, null)).contains("not there");
    assertThat(
            VerifiedCopy.problem(AT, 100, SHA, MD5, new BlobStat(90, Map.of("sha256", SHA), MD5)))
        .contains("90 bytes");
    assertThat(VerifiedCopy.problem(AT, 100, SHA, MD5, new BlobStat(100, Map.of(), MD5)))
        .contains("SHA-256");
    assertThat(
            VerifiedCopy.problem(
                AT, 100, SHA, MD5, new BlobStat(100, Map.of("sha256", OTHER), MD5)))
        .contains("SHA-256");
    assertThat(
            VerifiedCopy.problem(
                AT, 100, SHA, MD5, new BlobStat(100, Map.of("sha256", SHA), "f".repeat(32))))
        .contains("MD5");
  }
}
