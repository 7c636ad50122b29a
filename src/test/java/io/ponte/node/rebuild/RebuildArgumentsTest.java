package io.ponte.node.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.ListedBlob;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a rebuild can tell from a listing alone (which objects a rerun may skip without reading
 * them) and the arguments it accepts.
 */
class RebuildArgumentsTest {

  @Test
  void aNameOfTheNodesLayoutCarriesItsSopInstanceUid() {
    assertThat(IndexRebuild.sopOf(listed("1.2.3/1.2.3.4/1.2.3.4.5.dcm"))).isEqualTo("1.2.3.4.5");
  }

  @Test
  void otherNamesCarryNoneAndAreAlwaysRead() {
    assertThat(IndexRebuild.sopOf(listed("notes/readme.txt"))).isEmpty();
    assertThat(IndexRebuild.sopOf(listed("1.2.3/1.2.3.4/not-a-uid.dcm"))).isEmpty();
    assertThat(IndexRebuild.sopOf(listed("1.2.3/1.2.3.4/.dcm"))).isEmpty();
  }

  @Test
  void workersAreBoundedByTheConnectionPool() {
    assertThat(RebuildIndexTool.workers(List.of())).isEqualTo(4);
    assertThat(RebuildIndexTool.workers(List.of("--workers", "12"))).isEqualTo(12);
    assertThatThrownBy(() -> RebuildIndexTool.workers(List.of("--workers", "0")))
        .hasMessageContaining("between 1 and 12");
    assertThatThrownBy(() -> RebuildIndexTool.workers(List.of("--workers", "many")))
        .hasMessageContaining("not a number");
    assertThat(RebuildIndexTool.workers(List.of("--from-replica", "--workers", "2"))).isEqualTo(2);
    assertThatThrownBy(() -> RebuildIndexTool.workers(List.of("--dry-run")))
        .hasMessageContaining("unknown argument");
  }

  private static ListedBlob listed(String name) {
    return new ListedBlob(name, 10, null, null, BlobTier.HOT);
  }
}
