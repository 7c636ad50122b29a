package io.ponte.hub.web.portal;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Words of the patient portal, in English; the Portuguese are in {@code
 * messages/portal_pt.properties}. Templates read them as {@code portal:key}.
 */
@MessageBundle(value = "portal", locale = "en")
public interface PortalMessages {

  @Message("Patient portal")
  String title();

  @Message("My studies")
  String navStudies();

  @Message("Sharing choices")
  String navSharing();

  @Message("Access log")
  String navAccessLog();

  @Message("My imaging studies")
  String studiesTitle();

  @Message(
      "Every imaging study of yours that the hospitals of the region have registered, newest"
          + " first.")
  String studiesIntro();

  @Message("Your imaging studies, all hospitals")
  String studiesCaption();

  @Message("Date")
  String date();

  @Message("Type")
  String modality();

  /** A modality code in words a patient knows (the code itself when it has none). */
  @Message(
      "{#when code}{#is 'CT'}CT scan{#is 'MR'}MRI{#is 'CR'}X-ray{#is 'DX'}X-ray{#is 'US'}Ultrasound"
          + "{#is 'MG'}Mammogram{#is 'NM'}Nuclear medicine{#is 'PT'}PET scan{#is 'XA'}Angiography"
          + "{#is 'RF'}Fluoroscopy{#else}{code}{/when}")
  String modalityName(String code);

  @Message("Description")
  String description();

  @Message("Hospital or clinic")
  String site();

  @Message("No imaging study of yours is registered yet.")
  String noStudies();

  @Message("Newer studies")
  String newer();

  @Message("Older studies")
  String older();

  @Message("(no description)")
  String noDescription();

  @Message("Who may see my images")
  String sharingTitle();

  @Message(
      "Who, besides the hospital or clinic that made them, may see your imaging studies. Today"
          + " you:")
  String sharingIntro();

  @Message("share with all participating hospitals and clinics")
  String sharingAll();

  @Message("don't share with:")
  String sharingExcept();

  @Message("share nothing beyond the hospital or clinic that made the images")
  String sharingNothing();

  @Message(
      "Until you choose, the region's rule applies: your images are shared with every"
          + " participating hospital and clinic unless you say no (opt-out).")
  String policyOptOut();

  @Message(
      "Until you choose, the region's rule applies: your images are shared with nobody unless"
          + " you say yes (opt-in).")
  String policyOptIn();

  @Message(
      "The hospital or clinic that made an image always sees it: that is your care there, not"
          + " sharing.")
  String ownSite();

  @Message("Change my choice")
  String changeTitle();

  @Message("Who may see my images")
  String chooseLegend();

  @Message("Share with all participating hospitals and clinics")
  String chooseAll();

  @Message("Share with nobody beyond the hospital or clinic that made the images")
  String chooseNone();

  @Message("Share with all except the ones I tick below")
  String chooseExcept();

  @Message("Don't share with (for the last option)")
  String organizationsLegend();

  @Message("For a period (optional)")
  String periodLegend();

  @Message("Leave empty for no limit. A newer choice always replaces an older one.")
  String periodHint();

  @Message("From")
  String fromLabel();

  @Message("Until (that day included)")
  String untilLabel();

  @Message("Record my choice")
  String submit();

  @Message("Your choice is recorded. It applies from now on, at every hospital and clinic.")
  String recorded();

  @Message("Your choice was not recorded:")
  String errorTitle();

  @Message("choose one of the three options.")
  String errorChoice();

  @Message("tick at least one hospital or clinic not to share with.")
  String errorNoOrganization();

  @Message("\"{value}\" is not a participating hospital or clinic.")
  String errorUnknownOrganization(String value);

  @Message("\"{value}\" is not a date (year-month-day).")
  String errorDate(String value);

  @Message("the period ends before it starts.")
  String errorPeriod();

  /** The service's refusal, by its kind ({@link PortalPages#refusal}), never its English detail. */
  @Message(
      "{#when refusal}{#is 'UNLINKED'}your account is not linked to your records at a hospital"
          + " yet, so no choice can be recorded for you; ask the hospital where you were seen."
          + "{#is 'UNAVAILABLE'}it cannot be recorded just now. Nothing was changed; try again in"
          + " a moment."
          + "{#else}the exchange did not accept it.{/when}")
  String errorRefused(String refusal);

  @Message("Who accessed my records")
  String accessLogTitle();

  @Message(
      "Who searched for, opened or tried to open your records, newest first: one line per"
          + " person, organisation, studies, purpose and result on each day, with how many"
          + " requests it took (opening a study in a viewer takes many). Your own visits to this"
          + " portal are not listed.")
  String accessLogIntro();

  @Message("Accesses to your records")
  String accessLogCaption();

  @Message("When")
  String when();

  @Message("Who")
  String who();

  @Message("Organisation")
  String organization();

  @Message("What")
  String what();

  @Message("Which studies")
  String studies();

  @Message("Why")
  String purposeColumn();

  @Message("Result")
  String outcomeColumn();

  @Message("Emergency access")
  String emergency();

  @Message("How many")
  String countColumn();

  @Message("{#if count == 1}1 request{#else}{count} requests{/if}")
  String requests(long count);

  @Message(
      "{#if count == 1}1 request on this page was made under emergency access{#else}{count}"
          + " requests on this page were made under emergency access{/if}, without your usual"
          + " sharing choice: the authority reviews each one.")
  String emergencySummary(long count);

  @Message("Nobody else has accessed your records.")
  String noAccesses();

  @Message("your identification details (name, birth date, identifiers)")
  String identityDetails();

  @Message("Older entries")
  String olderEntries();

  @Message("Newest entries")
  String newestEntries();

  @Message(
      "{#when action}{#is 'read'}opened{#is 'search'}searched{#is 'create'}added{#is 'update'}"
          + "updated{#is 'identity-link'}linked your records{#is 'identity-unlink'}unlinked a"
          + " record{#is 'identity-reject'}kept a record apart{#is 'export'}sent a copy to that"
          + " organisation's PACS"
          + "{#is 'delete'}removed{#is 'emergency-create'}opened emergency access to your records"
          + "{#is 'emergency-update'}ended emergency access to your records{#is 'register'}"
          + "registered the study in the region{#else}{action}{/when}")
  String action(String action);

  @Message("The hospital's imaging system")
  String siteSystem();

  @Message(
      "{#when purpose}{#is 'treatment'}care{#is 'emergency'}emergency{#is 'patient-request'}"
          + "your request{#is 'operations'}operations{#is 'public-health'}public health"
          + "{#is 'audit'}audit{#else}{purpose}{/when}")
  String purpose(String purpose);

  @Message(
      "{#when outcome}{#is 'success'}allowed{#is 'denied'}refused{#is 'invalid'}invalid request"
          + "{#is 'error'}failed{#is 'deferred'}not yet: the images are being restored from the"
          + " archive{#else}{outcome}{/when}")
  String outcome(String outcome);
}
