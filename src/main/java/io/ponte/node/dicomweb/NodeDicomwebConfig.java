package io.ponte.node.dicomweb;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The node's DICOMweb read side (served to the hub only). */
@ConfigMapping(prefix = "ponte.node.dicomweb")
public interface NodeDicomwebConfig {

  /** The Keycloak client of the hub: the only caller this API answers. */
  @WithDefault("ponte-hub")
  String hubClientId();

  /** Results per QIDO-RS page when the client gives no limit. */
  @WithDefault("100")
  int defaultLimit();

  /** Largest page a client may ask for; bigger limits are capped with a Warning header. */
  @WithDefault("1000")
  int maxLimit();

  /** Rows fetched per database round trip while streaming a result. */
  @WithDefault("200")
  int fetchSize();
}
