package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calling AE titles held to their addresses: exact hosts, CIDR ranges, IPv6, mapped IPv4. */
class CallerAddressesTest {

  private static final CallerAddresses BOUND =
      CallerAddresses.of(
          Map.of(
              "CT_1", List.of("10.1.2.7", "10.1.3.0/24"),
              "MR_1", List.of("10.1.4.128/25"),
              "PACS", List.of("fd00:1::/32", "192.168.0.0/16")));

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void aBoundTitleIsAllowedFromItsAddressesOnly() throws Exception {
    assertThat(BOUND.allows("CT_1", ip("10.1.2.7"))).isTrue();
    assertThat(BOUND.allows("CT_1", ip("10.1.3.200"))).isTrue();
    assertThat(BOUND.allows("CT_1", ip("10.1.2.8"))).isFalse();
    assertThat(BOUND.allows("CT_1", ip("10.1.4.1"))).isFalse();
    // a prefix that ends inside a byte
    assertThat(BOUND.allows("MR_1", ip("10.1.4.128"))).isTrue();
    assertThat(BOUND.allows("MR_1", ip("10.1.4.255"))).isTrue();
    assertThat(BOUND.allows("MR_1", ip("10.1.4.127"))).isFalse();
  }

  @Test
  void ipv6RangesAndIpv4MappedAddressesMatchAsTheyShould() throws Exception {
    assertThat(BOUND.allows("PACS", ip("fd00:1:abcd::5"))).isTrue();
    assertThat(BOUND.allows("PACS", ip("fd00:2::5"))).isFalse();
    assertThat(BOUND.allows("PACS", ip("::ffff:192.168.3.4"))).isTrue();
    assertThat(BOUND.allows("CT_1", ip("::ffff:10.1.2.7"))).isTrue();
    assertThat(BOUND.allows("CT_1", ip("::1"))).isFalse();
  }

  @Test
  void anUnboundTitleIsNotHeldToAnyAddressAndAnUnknownPeerNeverPassesABoundTitle()
      throws Exception {
    assertThat(BOUND.allows("US_1", ip("203.0.113.9"))).isTrue();
    assertThat(CallerAddresses.ANY.allows("CT_1", ip("203.0.113.9"))).isTrue();
    assertThat(BOUND.allows("CT_1", null)).isFalse();
    // titles are case-sensitive, as the association sends them
    assertThat(BOUND.allows("ct_1", ip("203.0.113.9"))).isTrue();
  }

  @Test
  void whatIsNotAnAddressOrRangeIsRefusedNamingTheTitle() {
    for (String bad :
        List.of("modality.hospital.example", "10.1.2", "10.1.2.0/33", "10.1.2.0/x", "fd00::/129")) {
      assertThatThrownBy(() -> CallerAddresses.of(Map.of("CT_1", List.of(bad))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CT_1")
          .hasMessageContaining(bad);
    }
  }
}
