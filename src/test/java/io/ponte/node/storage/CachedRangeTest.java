package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A byte range of a cached file: read by position, and no file left open when it cannot be. */
class CachedRangeTest {

  @TempDir Path dir;

  @Test
  void readsTheRangeByPosition() throws IOException {
    Path file = Files.write(dir.resolve("range.dcm"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    try (InputStream in = InstanceReader.openCached(file, 2, 3)) {
      assertThat(in.readAllBytes()).containsExactly(2, 3, 4);
    }
  }

  @Test
  void aRangeThatCannotBePositionedLeavesNoFileOpen() throws IOException {
    Path file = Files.write(dir.resolve("unpositioned.dcm"), new byte[10]);
    assertThatThrownBy(() -> InstanceReader.openCached(file, -1, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(openDescriptorsOf(file)).as("descriptors still open on the file").isZero();
  }

  /** How many of this process' file descriptors point at {@code file} (Linux's /proc). */
  private static long openDescriptorsOf(Path file) throws IOException {
    Path target = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                  return false; // closed while listed
                }
              })
          .count();
    }
  }
}
