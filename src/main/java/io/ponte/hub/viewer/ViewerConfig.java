package io.ponte.hub.viewer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where the hub finds the OHIF viewer. */
@ConfigMapping(prefix = "ponte.hub.viewer")
public interface ViewerConfig {

  /**
   * The installed OHIF dist directory ({@code ponte.sh install-viewer} puts it in
   * target/tools/ohif); unset, {@code /viewer} answers a page saying the viewer is not installed.
   */
  Optional<Path> dir();
}
