package io.ponte.dicom.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each bound calling AE title may associate from: an AE title is only a name the caller
 * chooses, so a modality or a clinic's PACS known by its title is also held to its network
 * addresses (an IP address, or a CIDR range such as {@code 10.1.2.0/24} or {@code fd00::/8}). A
 * title with no addresses here is not bound (the allow-list of titles and the network decide).
 */
public final class CallerAddresses {

  /** No title bound to any address. */
  public static final CallerAddresses ANY = new CallerAddresses(Map.of());

  private final Map<String, List<Range>> ranges;

  private CallerAddresses(Map<String, List<Range>> ranges) {
    this.ranges = ranges;
  }

  /**
   * From configuration: calling AE title to its addresses, each an IP literal or a CIDR range.
   *
   * @throws IllegalArgumentException naming the title and the entry that is not one
   */
  public static CallerAddresses of(Map<String, List<String>> byTitle) {
    Map<String, List<Range>> ranges = new LinkedHashMap<>();
    byTitle.forEach(
        (title, entries) -> {
          List<Range> parsed = new ArrayList<>();
          for (String entry : entries) {
            parsed.add(Range.parse(title, entry.strip()));
          }
          if (!parsed.isEmpty()) {
            ranges.put(title.strip(), List.copyOf(parsed));
          }
        });
    return new CallerAddresses(Map.copyOf(ranges));
  }

  /** Whether {@code callingAeTitle} may associate from {@code peer}. */
  public boolean allows(String callingAeTitle, InetAddress peer) {
    List<Range> bound = ranges.get(callingAeTitle);
    if (bound == null) {
      return true;
    }
    if (peer == null) {
      return false;
    }
    byte[] address = unmapped(peer.getAddress());
    return bound.stream().anyMatch(r -> r.contains(address));
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the IPv4 address it carries. */
  private static byte[] unmapped(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return address;
    }
    return new byte[] {address[12], address[13], address[14], address[15]};
  }

  /** A network: its address and how many leading bits of it count. */
  private record Range(byte[] network, int prefixBits) {

    static Range parse(String title, String entry) {
      int slash = entry.indexOf('/');
      String host = slash < 0 ? entry : entry.substring(0, slash);
      // Literals only: a name would be looked up in DNS, which a spoofer may answer.
      if (host.isEmpty() || !(host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
        throw invalid(title, entry);
      }
      byte[] address;
      try {
        address = unmapped(InetAddress.getByName(host).getAddress());
      } catch (UnknownHostException e) {
        throw invalid(title, entry);
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw invalid(title, entry);
        }
        if (bits < 0 || bits > address.length * 8) {
          throw invalid(title, entry);
        }
      }
      return new Range(address, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }

    private static IllegalArgumentException invalid(String title, String entry) {
      return new IllegalArgumentException(
          "calling AE title '"
              + title
              + "': '"
              + entry
              + "' is not an IP address or CIDR range (e.g. 10.1.2.0/24)");
    }
  }
}
