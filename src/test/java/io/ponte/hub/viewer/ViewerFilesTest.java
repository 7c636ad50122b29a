package io.ponte.hub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which builds the hub serves, and which files of them. */
class ViewerFilesTest {

  @TempDir Path dir;

  @Test
  void noDirectoryConfiguredMeansNotInstalled() {
    assertThat(ViewerFiles.of(Optional.empty()).problem).contains("ponte.hub.viewer.dir");
  }

  @Test
  void aBuildForTheRootIsRefused() throws IOException {
    Files.writeString(dir.resolve("index.html"), "<script>window.PUBLIC_URL=\"/\"</script>");
    assertThat(ViewerFiles.of(Optional.of(dir)).problem).contains("not rebased");
  }

  @Test
  void aRebasedBuildIsServedWithItsInlineScriptsHashed() throws IOException {
    Files.writeString(dir.resolve("index.html"), "<script>window.PUBLIC_URL=\"/viewer/\"</script>");
    Files.writeString(dir.resolve("a.js"), "");
    Files.writeString(dir.getParent().resolve("secret.txt"), "");
    ViewerFiles files = ViewerFiles.of(Optional.of(dir));
    assertThat(files.installed()).isTrue();
    assertThat(files.inlineScriptHashes).singleElement().asString().startsWith("'sha256-");
    assertThat(files.file("a.js")).isPresent();
    assertThat(files.file("../secret.txt")).isEmpty();
    assertThat(files.file("b.js")).isEmpty();
  }

  @Test
  void contentTypesAndCaching() {
    assertThat(ViewerFiles.contentType("0ddf166f7a343eda.wasm")).isEqualTo("application/wasm");
    assertThat(ViewerFiles.contentType("x.js")).startsWith("text/javascript");
    assertThat(ViewerFiles.cacheControl("app.bundle.0f6159c501addfe9.js")).contains("immutable");
    assertThat(ViewerFiles.cacheControl("0ddf166f7a343eda.wasm")).contains("immutable");
    assertThat(ViewerFiles.cacheControl("index.html")).isEqualTo("no-cache");
    assertThat(ViewerFiles.cacheControl("sw.js")).isEqualTo("no-cache");
    assertThat(ViewerFiles.isClientRoute("viewer")).isTrue();
    assertThat(ViewerFiles.isClientRoute("assets/x.png")).isFalse();
  }
}
