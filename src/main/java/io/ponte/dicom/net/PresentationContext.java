package io.ponte.dicom.net;

import java.util.List;

/**
 * One presentation context: as proposed (abstract syntax and candidate transfer syntaxes) or as
 * answered (result and the one chosen transfer syntax). PS3.8 9.3.2.2 / 9.3.3.2.
 */
public record PresentationContext(
    int id, String abstractSyntax, List<String> transferSyntaxes, int result) {

  public static final int ACCEPTANCE = 0;
  public static final int USER_REJECTION = 1;
  public static final int NO_REASON = 2;
  public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
  public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

  public PresentationContext {
    transferSyntaxes = List.copyOf(transferSyntaxes);
  }

  public static PresentationContext proposed(
      int id, String abstractSyntax, String... transferSyntaxes) {
    return new PresentationContext(id, abstractSyntax, List.of(transferSyntaxes), ACCEPTANCE);
  }

  public boolean accepted() {
    return result == ACCEPTANCE;
  }

  /** The negotiated transfer syntax of an accepted context (an answer carries exactly one). */
  public String transferSyntax() {
    return transferSyntaxes.isEmpty() ? null : transferSyntaxes.get(0);
  }
}
