package io.ponte.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyword, VR and VM of every attribute in the PS3.6 registry (retired ones, the file meta and
 * command groups, and the repeating groups included), loaded once from {@code dictionary.tsv},
 * which {@code DictionaryGenerator} (src/test) writes from the registry. Implicit VR files need
 * every VR: an attribute missing here would be read as UN. Tags not in the registry answer UN,
 * except what needs no table: group lengths are UL, private creators LO.
 */
public final class ElementDictionary {

  private static final String RESOURCE = "dictionary.tsv";

  /** Exact tags, ascending (unsigned), with their entries at the same index. */
  private static final int[] TAGS;

  private static final Entry[] ENTRIES;

  /** Repeating-group and repeating-element entries ("60xx3000"), tried after the exact ones. */
  private static final Repeater[] REPEATERS;

  private static final Map<String, Integer> BY_KEYWORD = new HashMap<>();

  /** One registry row: VR as PS3.6 gives it ("US|SS" where it depends on the data), VM, keyword. */
  private record Entry(VR vr, boolean usOrSs, String vm, String keyword, boolean retired) {}

  /** A row whose tag has repeating hex digits: matches when {@code (tag & mask) == value}. */
  private record Repeater(int mask, int value, boolean evenGroupsOnly, Entry entry) {
    boolean matches(int tag) {
      return (tag & mask) == value && (!evenGroupsOnly || ((tag >>> 16) & 1) == 0);
    }
  }

  static {
    List<Integer> tags = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    List<Repeater> repeaters = new ArrayList<>();
    for (String line : readResource()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.split("\t", -1);
      Entry e = new Entry(resolve(p[1]), p[1].startsWith("US|SS"), p[2], p[3], p[4].equals("R"));
      if (p[0].indexOf('x') >= 0) {
        int mask = 0;
        int value = 0;
        for (int i = 0; i < 8; i++) {
          char c = p[0].charAt(i);
          mask = (mask << 4) | (c == 'x' ? 0 : 0xF);
          value = (value << 4) | (c == 'x' ? 0 : Character.digit(c, 16));
        }
        // Repeating groups (50xx, 60xx, 7Fxx) are the even groups only: the odd ones are private.
        boolean groupRepeats = (mask & 0xFFFF0000) != 0xFFFF0000;
        repeaters.add(new Repeater(mask, value, groupRepeats, e));
        BY_KEYWORD.putIfAbsent(e.keyword(), value);
      } else {
        int tag = (int) Long.parseLong(p[0], 16);
        tags.add(tag);
        entries.add(e);
        if (!e.keyword().isEmpty()) {
          BY_KEYWORD.put(e.keyword(), tag);
        }
      }
    }
    TAGS = tags.stream().mapToInt(Integer::intValue).toArray();
    ENTRIES = entries.toArray(Entry[]::new);
    REPEATERS = repeaters.toArray(Repeater[]::new);
    for (int i = 1; i < TAGS.length; i++) {
      if (Integer.compareUnsigned(TAGS[i - 1], TAGS[i]) >= 0) {
        throw new IllegalStateException(
            "dictionary not sorted at " + String.format("%08X", TAGS[i]));
      }
    }
  }

  private ElementDictionary() {}

  private static List<String> readResource() {
    try (InputStream in = ElementDictionary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("data dictionary resource missing: " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The VR an implicit VR reader uses for a PS3.6 VR field: the usual one where PS3.6 allows
   * several (US for "US or SS", then SS when Pixel Representation says signed; OW where OW is one
   * of them, as PS3.5 A.1 prescribes for implicit VR pixel, overlay and LUT data).
   */
  private static VR resolve(String vr) {
    if (vr.equals("-")) {
      return VR.UN; // item and delimitation tags carry no value
    }
    if (vr.startsWith("US|SS") && !vr.endsWith("OW")) {
      return VR.US;
    }
    if (vr.contains("|")) {
      return VR.OW;
    }
    VR v = VR.of(vr);
    if (v == null) {
      throw new IllegalStateException("unknown VR in data dictionary: " + vr);
    }
    return v;
  }

  private static int indexOf(int tag) {
    int lo = 0;
    int hi = TAGS.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Integer.compareUnsigned(TAGS[mid], tag);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The registry entry for a tag, exact or repeating; null when the registry has none. */
  private static Entry entryOf(int tag) {
    int i = indexOf(tag);
    if (i >= 0) {
      return ENTRIES[i];
    }
    if (Tag.isPrivate(tag)) {
      return null;
    }
    for (Repeater r : REPEATERS) {
      if (r.matches(tag)) {
        return r.entry();
      }
    }
    return null;
  }

  /**
   * The VR PS3.6 gives the tag; UN when unknown. Ambiguous VRs resolve to the usual one (US, OW).
   */
  public static VR vrOf(int tag) {
    Entry e = entryOf(tag);
    if (e != null) {
      return e.vr();
    }
    if (Tag.isGroupLength(tag)) {
      return VR.UL;
    }
    if (Tag.isPrivateCreator(tag)) {
      return VR.LO;
    }
    return VR.UN;
  }

  /**
   * True for tags whose VR is US or SS depending on Pixel Representation (PS3.6 "US or SS");
   * implicit VR readers use SS when Pixel Representation is 1.
   */
  public static boolean isUsOrSs(int tag) {
    Entry e = entryOf(tag);
    return e != null && e.usOrSs();
  }

  /** True when the registry has the tag (exactly or as a repeating group or element). */
  public static boolean contains(int tag) {
    return entryOf(tag) != null;
  }

  /** True when PS3.6 lists the attribute as retired. */
  public static boolean isRetired(int tag) {
    Entry e = entryOf(tag);
    return e != null && e.retired();
  }

  /** PS3.6's value multiplicity ("1", "1-n", "2-2n", ...); null when unknown. */
  public static String vmOf(int tag) {
    Entry e = entryOf(tag);
    return e == null ? null : e.vm();
  }

  /** The PS3.6 keyword, e.g. "PatientName"; null when unknown (or a retired row without one). */
  public static String keywordOf(int tag) {
    Entry e = entryOf(tag);
    if (e != null && !e.keyword().isEmpty()) {
      return e.keyword();
    }
    return Tag.isGroupLength(tag) ? "GroupLength" : null;
  }

  /**
   * A readable name derived from the keyword ("Patient Name"); "Private Tag" / "Unknown" otherwise.
   */
  public static String nameOf(int tag) {
    String k = keywordOf(tag);
    if (k == null) {
      return Tag.isPrivateCreator(tag)
          ? "Private Creator"
          : Tag.isPrivate(tag) ? "Private Tag" : "Unknown";
    }
    StringBuilder sb = new StringBuilder(k.length() + 8);
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (i > 0
          && Character.isUpperCase(c)
          && (Character.isLowerCase(k.charAt(i - 1))
              || (i + 1 < k.length() && Character.isLowerCase(k.charAt(i + 1))))) {
        sb.append(' ');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * The tag for a keyword; -1 when the keyword is not in the registry. A repeating attribute
   * answers its first group or element ("OverlayData" is 6000,3000).
   */
  public static int tagForKeyword(String keyword) {
    Integer t = BY_KEYWORD.get(keyword);
    return t == null ? -1 : t;
  }

  /** Every exact (non-repeating) tag in the registry, ascending. */
  public static int[] tags() {
    return Arrays.copyOf(TAGS, TAGS.length);
  }
}
