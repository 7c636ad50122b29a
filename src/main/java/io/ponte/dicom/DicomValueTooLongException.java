package io.ponte.dicom;

/**
 * A value (or a data set) larger than the reader's {@link DicomReadLimits} allow it to hold in
 * memory. The input may be valid DICOM; this reader refuses to materialise it. Thrown before any of
 * the value is read.
 */
public class DicomValueTooLongException extends DicomParseException {

  private static final long serialVersionUID = 1L;

  private final int tag;
  private final long length;
  private final long limit;

  public DicomValueTooLongException(long offset, int tag, long length, long limit, String what) {
    super(
        offset,
        "value of "
            + Tag.toString(tag)
            + " is "
            + length
            + " bytes, over the "
            + limit
            + "-byte limit "
            + what);
    this.tag = tag;
    this.length = length;
    this.limit = limit;
  }

  public int tag() {
    return tag;
  }

  public long length() {
    return length;
  }

  public long limit() {
    return limit;
  }
}
