package io.ponte.dicom;

/**
 * A transfer syntax UID that is not one of PS3.6's: the reader cannot know how its data set is
 * encoded, so it refuses instead of guessing.
 */
public class UnknownTransferSyntaxException extends DicomParseException {

  private static final long serialVersionUID = 1L;

  private final String transferSyntaxUid;

  public UnknownTransferSyntaxException(long offset, String transferSyntaxUid) {
    super(
        offset,
        "unknown transfer syntax "
            + (transferSyntaxUid.length() > 64
                    ? transferSyntaxUid.substring(0, 64) + "..."
                    : transferSyntaxUid)
                .replaceAll("[^\\x20-\\x7e]", "?")
            + ": how its data set is encoded cannot be known");
    this.transferSyntaxUid = transferSyntaxUid;
  }

  public String transferSyntaxUid() {
    return transferSyntaxUid;
  }
}
