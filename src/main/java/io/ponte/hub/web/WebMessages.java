package io.ponte.hub.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Words of the shared layout and the pages every surface shares (sign-out, 403), in English; the
 * Portuguese are in {@code messages/web_pt.properties}. Templates read them as {@code web:key}.
 */
@MessageBundle(value = "web", locale = "en")
public interface WebMessages {

  @Message("Ponte")
  String appName();

  @Message("Regional imaging exchange")
  String tagline();

  @Message("Skip to content")
  String skipToContent();

  @Message("Language")
  String language();

  @Message("Signed in as {name}")
  String signedInAs(String name);

  @Message("Sign out")
  String signOut();

  @Message("Do you want to sign out of Ponte?")
  String signOutConfirm();

  @Message("Signing you out of Ponte and of the regional sign-in service…")
  String signingOut();

  @Message("Continue")
  String signOutContinue();

  @Message("Open this patient's records?")
  String elsewhereTitle();

  @Message(
      "Another site or application sent you to this page, which opens a patient's records. Ponte"
          + " records each opening in your name, so it asks you first. Go on only if you meant to"
          + " open them.")
  String elsewhereBody();

  @Message("Open this list of patients?")
  String elsewhereListTitle();

  @Message(
      "Another site or application sent you to this page, which lists patients' records. Ponte"
          + " records each opening in your name, so it asks you first. Go on only if you meant to"
          + " open it.")
  String elsewhereListBody();

  @Message("Open the records")
  String elsewhereContinue();

  @Message("Cancel")
  String elsewhereCancel();

  @Message("Sign in")
  String signIn();

  @Message("Main menu")
  String mainMenu();

  @Message("Ponte records every access to the images it shares.")
  String footer();

  @Message("Not allowed")
  String forbiddenTitle();

  @Message(
      "These pages are for a different role. You are signed in as {name}; sign out and sign in"
          + " with the account meant for these pages.")
  String forbiddenBody(String name);

  @Message("Signed out")
  String signedOutTitle();

  @Message("You have signed out of Ponte.")
  String signedOutBody();

  @Message("Page not found")
  String notFoundTitle();

  @Message(
      "There is no page at this address. Check the address, or start again from the first page.")
  String notFoundBody();

  @Message("Go to the first page")
  String notFoundHome();

  /** A page refused because the patient's consent withholds her records from this clinician. */
  @Message("Records withheld")
  String withheldTitle();

  /** A page refused with 503 (database, audit trail or a site down): nothing is wrong with it. */
  @Message("Temporarily unavailable")
  String unavailableTitle();

  @Message(
      "This page cannot be shown just now: a service it needs is not answering. Nothing was"
          + " changed; try again in a moment.")
  String unavailableBody();

  @Message("Patient portal")
  String portalLink();

  /** The signed-out page: whoever signed out (patient, clinician, authority) signs in again. */
  @Message("Sign in again:")
  String signInAgain();

  @Message("Clinician workspace")
  String workspaceLink();

  @Message("Health authority dashboard")
  String authorityLink();

  /** The health authority as an organisation (e.g. who accessed a patient's data). */
  @Message("Regional health authority")
  String healthAuthority();
}
