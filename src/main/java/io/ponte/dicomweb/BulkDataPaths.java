package io.ponte.dicomweb;

import io.ponte.dicom.json.BulkDataUris;
import java.util.regex.Pattern;

/**
 * How bulk data is named in Ponte's DICOM JSON (PS3.18 F.2.6): a value longer than {@link
 * #INLINE_MAX} bytes becomes {@code bulkdata/<path>}, relative to its instance, where {@code path}
 * is the element's tag as 8 hex digits, prefixed for nested elements by the enclosing sequence tags
 * and 0-based item indices ({@code 00282000}, {@code 00540016/0/00181079}). The node stores it so
 * in the metadata column and makes it absolute ({@code
 * .../studies/{s}/series/{se}/instances/{i}/bulkdata/<path>}) when serving metadata; the hub
 * rewrites that to itself. Shorter values are inlined (InlineBinary), as is nested encapsulated
 * pixel data (icons).
 */
public final class BulkDataPaths {

  /** Longest value written inline: a palette LUT of 256 entries stays inline, 4096 do not. */
  public static final int INLINE_MAX = 1024;

  /** What a stored BulkDataURI starts with: relative to the instance's WADO-RS URL. */
  public static final String RELATIVE_PREFIX = "bulkdata/";

  /** At most 16 nesting levels; item indices up to 999,999. */
  private static final Pattern PATH =
      Pattern.compile("[0-9A-Fa-f]{8}(/[0-9]{1,6}/[0-9A-Fa-f]{8}){0,16}");

  /** The naming above, for {@link io.ponte.dicom.json.DicomJsonWriter.Builder#bulkDataUris}. */
  public static final BulkDataUris RELATIVE =
      e -> e.encapsulated() || e.length() <= INLINE_MAX ? null : RELATIVE_PREFIX + e.path();

  private BulkDataPaths() {}

  /** True for a path of the form above (not whether the element exists). */
  public static boolean isWellFormed(String path) {
    return path != null && PATH.matcher(path).matches();
  }

  /**
   * The path's steps: tags at even indices, item indices at odd ones; call only on a {@link
   * #isWellFormed well-formed} path.
   */
  public static int[] steps(String path) {
    String[] parts = path.split("/");
    int[] steps = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      steps[i] = i % 2 == 0 ? (int) Long.parseLong(parts[i], 16) : Integer.parseInt(parts[i]);
    }
    return steps;
  }
}
