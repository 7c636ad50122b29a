package io.ponte.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A hub never opens the DICOM listener, even with the DIMSE settings switched on ({@link
 * HubTestProfile} switches them on for every hub test).
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class DimseHubTest {

  @Inject DimseListener listener;

  @Test
  void hubDoesNotListenForDimse() {
    assertThat(listener.isListening()).isFalse();
    assertThat(listener.port()).isEqualTo(-1);
    assertThatThrownBy(() -> new Socket("127.0.0.1", HubTestProfile.NODE_DIMSE_PORT).close())
        .isInstanceOf(ConnectException.class);
  }
}
