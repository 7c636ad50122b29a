package io.ponte.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hub never opens the DICOM listener, even with the DIMSE settings switched on. */
@QuarkusTest
@TestProfile(DimseHubTest.HubWithDimseSettings.class)
class DimseHubTest {

  static final int PORT = freePort();

  public static class HubWithDimseSettings extends HubTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("ponte.node.dimse.enabled", "true");
      config.put("ponte.node.dimse.port", Integer.toString(PORT));
      return config;
    }
  }

  @Inject DimseListener listener;

  @Test
  void hubDoesNotListenForDimse() {
    assertThat(listener.isListening()).isFalse();
    assertThat(listener.port()).isEqualTo(-1);
    assertThatThrownBy(() -> new Socket("127.0.0.1", PORT).close())
        .isInstanceOf(ConnectException.class);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
