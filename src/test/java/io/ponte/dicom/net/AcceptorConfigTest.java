package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The short form is a plain Storage SCP; each wither changes its own component only. */
class AcceptorConfigTest {

  @Test
  void theShortFormPlaysNoScuRoleAndBindsNoAddressAndEachWitherChangesOnlyItsOwn() {
    AcceptorConfig plain = TestServers.config(TestServers.ALL_TS);
    assertThat(plain.acceptsStorageScpRole()).isFalse();
    assertThat(plain.callerAddresses()).isSameAs(CallerAddresses.ANY);

    CallerAddresses bound = CallerAddresses.of(Map.of("CT_1", List.of("10.1.2.7")));
    AcceptorConfig both = plain.withStorageScpRole(true).withCallerAddresses(bound);
    assertThat(both.acceptsStorageScpRole()).isTrue();
    assertThat(both.callerAddresses()).isSameAs(bound);
    assertThat(both.withStorageScpRole(false).withCallerAddresses(CallerAddresses.ANY))
        .isEqualTo(plain);
  }

  @Test
  void theWithersKeepTheCanonicalChecks() {
    AcceptorConfig plain = TestServers.config(TestServers.ALL_TS);
    assertThatThrownBy(() -> plain.withCallerAddresses(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("callerAddresses");
  }
}
