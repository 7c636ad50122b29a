package io.ponte.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where a {@code @QuarkusTest} reaches {@code /q/metrics} and {@code /q/health*}: the management
 * port when its profile sets one ({@code ponte.management.port}, as production does), else the HTTP
 * port.
 */
public final class Management {

  private Management() {}

  /** A free port for a profile's {@code ponte.management.port}, taken when the class loads. */
  public static final int PORT = FreePorts.next();

  /** {@code path} (under {@code /q/}) as a URL for REST Assured. */
  public static String url(String path) {
    return ConfigProvider.getConfig()
        .getOptionalValue("ponte.management.port", Integer.class)
        .map(port -> "http://127.0.0.1:" + port + path)
        .orElse(path);
  }
}
