package io.ponte.dicom;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Keyword, name and VR of a tag, from the compact table in {@link ElementDictionaryTable}. Tags
 * that are not in the table answer VR UN (implicit VR files then keep their bytes as UN), except
 * the rules that need no table: group lengths are UL, private creators LO, overlay data OW.
 */
public final class ElementDictionary {

  private static final int[] TAGS;
  private static final VR[] VRS;
  private static final String[] KEYWORDS;
  private static final boolean[] US_OR_SS;
  private static final Map<String, Integer> BY_KEYWORD = new HashMap<>();

  static {
    String[] lines = ElementDictionaryTable.TABLE.strip().split("\n");
    TAGS = new int[lines.length];
    VRS = new VR[lines.length];
    KEYWORDS = new String[lines.length];
    US_OR_SS = new boolean[lines.length];
    for (int i = 0; i < lines.length; i++) {
      String[] p = lines[i].strip().split(" ");
      TAGS[i] = (int) Long.parseLong(p[0], 16);
      US_OR_SS[i] = p[1].equals("xs");
      VRS[i] = US_OR_SS[i] ? VR.US : VR.of(p[1]);
      KEYWORDS[i] = p[2];
      BY_KEYWORD.put(p[2], TAGS[i]);
    }
    for (int i = 1; i < TAGS.length; i++) {
      if (Integer.compareUnsigned(TAGS[i - 1], TAGS[i]) >= 0) {
        throw new IllegalStateException("dictionary table not sorted at " + lines[i]);
      }
    }
  }

  private ElementDictionary() {}

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

  /**
   * The VR PS3.6 gives the tag; UN when unknown. Ambiguous VRs resolve to the usual one (US, OW).
   */
  public static VR vrOf(int tag) {
    int i = indexOf(tag);
    if (i >= 0) {
      return VRS[i];
    }
    if (Tag.isGroupLength(tag)) {
      return VR.UL;
    }
    if (Tag.isPrivateCreator(tag)) {
      return VR.LO;
    }
    int g = tag >>> 16;
    if ((g & 0xFF00) == 0x6000 && (g & 1) == 0) {
      return overlayVR(tag & 0xFFFF);
    }
    return VR.UN;
  }

  private static VR overlayVR(int element) {
    switch (element) {
      case 0x0010:
      case 0x0011:
      case 0x0100:
      case 0x0102:
      case 0x1101:
      case 0x1102:
      case 0x1103:
        return VR.US;
      case 0x0015:
      case 0x1301:
      case 0x1302:
      case 0x1303:
        return VR.IS;
      case 0x0022:
      case 0x1500:
        return VR.LO;
      case 0x0040:
        return VR.CS;
      case 0x0050:
        return VR.SS;
      case 0x3000:
        return VR.OW;
      default:
        return VR.UN;
    }
  }

  /**
   * True for tags whose VR is US or SS depending on Pixel Representation (PS3.6 "US or SS");
   * implicit VR readers use SS when Pixel Representation is 1.
   */
  public static boolean isUsOrSs(int tag) {
    int i = indexOf(tag);
    return i >= 0 && US_OR_SS[i];
  }

  /** True when the tag is in the compact table. */
  public static boolean contains(int tag) {
    return indexOf(tag) >= 0;
  }

  /** The PS3.6 keyword, e.g. "PatientName"; null when unknown. */
  public static String keywordOf(int tag) {
    int i = indexOf(tag);
    if (i >= 0) {
      return KEYWORDS[i];
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

  /** The tag for a keyword; -1 when the keyword is not in the table. */
  public static int tagForKeyword(String keyword) {
    Integer t = BY_KEYWORD.get(keyword);
    return t == null ? -1 : t;
  }

  /** Every tag in the table, ascending. */
  public static int[] tags() {
    return Arrays.copyOf(TAGS, TAGS.length);
  }
}
