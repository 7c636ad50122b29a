package io.ponte.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {

  @Test
  void aPresentPeerLetsTheTestRun() {
    assertThatCode(() -> Peers.require(true, "a tool")).doesNotThrowAnyException();
  }

  @Test
  void aMissingPeerFailsUnderCiAndSkipsElsewhere() {
    assertThatThrownBy(() -> Peers.require(false, "dcmtk's storescu"))
        .isInstanceOf(Peers.ci() ? AssertionFailedError.class : TestAbortedException.class)
        .hasMessageContaining("dcmtk's storescu is missing");
  }
}
