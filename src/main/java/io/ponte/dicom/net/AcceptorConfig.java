package io.ponte.dicom.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an acceptor accepts and how long it waits.
 *
 * @param aeTitle the called AE title we answer to; any other is rejected (PS3.8 reason 7)
 * @param sopClasses storage SOP classes accepted as abstract syntaxes (Verification is always
 *     accepted)
 * @param transferSyntaxes accepted transfer syntaxes, in our order of preference
 * @param allowedCallingAeTitles when not empty, only these calling AE titles may associate (reason
 *     3)
 * @param maxPduLength the largest P-DATA-TF PDU we receive, announced in A-ASSOCIATE-AC; longer
 *     ones abort
 * @param maxAssociations concurrent associations; one more is rejected transiently (local limit
 *     exceeded)
 * @param requestTimeout ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ, and
 *     how long we wait for the peer to close after a reject or a release
 * @param idleTimeout how long an established association may stay silent before we abort it
 * @param acceptsStorageScpRole whether a context of any abstract syntax is accepted when the
 *     requestor proposes the SCP role for it (role selection, PS3.7 D.3.3.4): how a C-GET SCU
 *     receives its C-STORE sub-operations on the same association
 * @param callerAddresses the addresses each bound calling AE title may associate from
 */
public record AcceptorConfig(
    String aeTitle,
    Set<String> sopClasses,
    List<String> transferSyntaxes,
    Set<String> allowedCallingAeTitles,
    int maxPduLength,
    int maxAssociations,
    Duration requestTimeout,
    Duration idleTimeout,
    boolean acceptsStorageScpRole,
    CallerAddresses callerAddresses) {

  /**
   * A Storage SCP that plays no SCU role of its own and binds no calling AE title to an address;
   * {@link #withStorageScpRole} and {@link #withCallerAddresses} add either.
   */
  public AcceptorConfig(
      String aeTitle,
      Set<String> sopClasses,
      List<String> transferSyntaxes,
      Set<String> allowedCallingAeTitles,
      int maxPduLength,
      int maxAssociations,
      Duration requestTimeout,
      Duration idleTimeout) {
    this(
        aeTitle,
        sopClasses,
        transferSyntaxes,
        allowedCallingAeTitles,
        maxPduLength,
        maxAssociations,
        requestTimeout,
        idleTimeout,
        false,
        CallerAddresses.ANY);
  }

  /** This acceptor, accepting (or not) any context whose requestor proposes our SCP role. */
  public AcceptorConfig withStorageScpRole(boolean accepts) {
    return with(accepts, callerAddresses);
  }

  /** This acceptor, binding calling AE titles to the addresses they may associate from. */
  public AcceptorConfig withCallerAddresses(CallerAddresses addresses) {
    return with(acceptsStorageScpRole, addresses);
  }

  private AcceptorConfig with(boolean storageScpRole, CallerAddresses addresses) {
    return new AcceptorConfig(
        aeTitle,
        sopClasses,
        transferSyntaxes,
        allowedCallingAeTitles,
        maxPduLength,
        maxAssociations,
        requestTimeout,
        idleTimeout,
        storageScpRole,
        addresses);
  }

  /** Verification SOP Class (PS3.4 A). */
  public static final String VERIFICATION = "1.2.840.10008.1.1";

  public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

  /**
   * Our implementation class UID (a UUID-derived 2.25 UID, PS3.5 B.2) and version name (max 16
   * chars).
   */
  public static final String IMPLEMENTATION_CLASS_UID =
      io.ponte.dicom.DicomOutputStream.IMPLEMENTATION_CLASS_UID;

  public static final String IMPLEMENTATION_VERSION_NAME =
      io.ponte.dicom.DicomOutputStream.IMPLEMENTATION_VERSION_NAME;

  public AcceptorConfig {
    Objects.requireNonNull(aeTitle, "aeTitle");
    if (aeTitle.isBlank() || aeTitle.length() > 16) {
      throw new IllegalArgumentException("AE title must be 1..16 characters: '" + aeTitle + "'");
    }
    sopClasses = Set.copyOf(sopClasses);
    transferSyntaxes = List.copyOf(transferSyntaxes);
    allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
    Objects.requireNonNull(callerAddresses, "callerAddresses");
    if (maxPduLength < 4096 || maxPduLength > 16 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "max PDU length must be 4096..16777216, not " + maxPduLength);
    }
    if (maxAssociations < 1) {
      throw new IllegalArgumentException("max associations must be at least 1");
    }
  }
}
