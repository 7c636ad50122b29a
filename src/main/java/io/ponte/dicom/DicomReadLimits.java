package io.ponte.dicom;

/**
 * How much a {@link DicomInputStream} may hold in memory, so that no input, however large or
 * hostile, can exhaust the heap (the way Jackson's {@code StreamReadConstraints} bound JSON
 * strings). Top-level Pixel Data is exempt: readers stop before it ({@link
 * DicomInputStream#readDatasetUntilPixelData()}) and the node streams it to disk; any other value,
 * including pixel data nested in a sequence, counts. A reader refuses the first value that would go
 * over a limit with {@link DicomValueTooLongException}, before reading any of it.
 *
 * <p>Readers take the process-wide {@link #defaults()} unless given their own: the node sets them
 * once at start-up from its configuration, so every reader in the process (ingest, retrieve) holds
 * the same bound.
 *
 * @param maxValueBytes longest single value read into memory
 * @param maxHeaderBytes most the parsed data set may hold: value bytes plus {@link
 *     #ELEMENT_OVERHEAD} per element and item, so that a flood of tiny elements counts too
 */
public record DicomReadLimits(long maxValueBytes, long maxHeaderBytes) {

  /** Rough heap cost of one element or item in {@link Attributes}, beyond its value bytes. */
  public static final int ELEMENT_OVERHEAD = 64;

  /** No bound beyond what a Java array holds: for tools reading the user's own files. */
  public static final DicomReadLimits UNLIMITED =
      new DicomReadLimits(Integer.MAX_VALUE - 16, Long.MAX_VALUE);

  /**
   * 16 MiB per value and 128 MiB per data set: the largest non-pixel values met in practice
   * (overlays of a 4k image are 2 MiB, ECG waveforms and encapsulated PDF reports a few MiB, RT
   * contours well under 1 MiB each) fit, while sixteen concurrent C-STORE associations at the
   * per-value bound stay within a quarter of the node's 1.5 GiB heap.
   */
  public static final DicomReadLimits BUILT_IN = new DicomReadLimits(16L << 20, 128L << 20);

  private static volatile DicomReadLimits defaults = BUILT_IN;

  public DicomReadLimits {
    if (maxValueBytes <= 0 || maxHeaderBytes <= 0) {
      throw new IllegalArgumentException("read limits must be positive");
    }
    maxValueBytes = Math.min(maxValueBytes, Integer.MAX_VALUE - 16);
  }

  /** The limits readers take when not given their own. */
  public static DicomReadLimits defaults() {
    return defaults;
  }

  /** Sets the process-wide defaults (the node's configuration, at start-up). */
  public static void setDefaults(DicomReadLimits limits) {
    defaults = java.util.Objects.requireNonNull(limits);
  }
}
