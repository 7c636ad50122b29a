package io.ponte.hub.viewer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Where the hub finds the OHIF viewer and how the viewer signs people in. */
@ConfigMapping(prefix = "ponte.hub.viewer")
public interface ViewerConfig {

  /**
   * The installed OHIF dist directory ({@code ponte.sh install-viewer} puts it in
   * target/tools/ohif); unset, {@code /viewer} answers a page saying the viewer is not installed.
   */
  Optional<Path> dir();

  /** The Keycloak client the viewer signs in with: public, authorization code + PKCE. */
  @WithDefault("ponte-web")
  String clientId();

  /**
   * The OIDC issuer the viewer signs in at; unset, the hub's own ({@code
   * quarkus.oidc.auth-server-url}).
   */
  Optional<String> authority();
}
