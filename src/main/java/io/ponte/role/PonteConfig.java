package io.ponte.role;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings every role shares. Role-specific settings live in their own feature's mapping. */
@ConfigMapping(prefix = "ponte")
public interface PonteConfig {

  /** hub or node; set by {@code ponte serve --role} (or $PONTE_ROLE), never guessed. */
  Role role();

  /** True in the hub process: the one way code asks which role runs (no {@code role() ==}). */
  default boolean isHub() {
    return role() == Role.HUB;
  }

  /** True in a hospital node process. */
  default boolean isNode() {
    return role() == Role.NODE;
  }

  /** The node's site id (e.g. {@code hospital-a}); a hub has none. */
  Optional<String> site();

  /** The public base URL of this process, used in links it hands out (FHIR paging, endpoints). */
  @WithDefault("http://localhost:8080")
  String publicUrl();
}
