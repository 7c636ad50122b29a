package io.ponte.hub.web.clinician;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Words of the clinician's workspace, in English; the Portuguese are in {@code
 * messages/clinician_pt.properties}. Templates read them as {@code clinician:key}.
 */
@MessageBundle(value = "clinician", locale = "en")
public interface ClinicianMessages {

  @Message("Clinician workspace")
  String title();

  @Message("Find a patient")
  String navSearch();

  @Message("Find a patient")
  String searchTitle();

  @Message(
      "Search by one hospital's identifier, by the regional identifier, or by name and birth"
          + " date. Any spelling of the name works: accents and capitals are ignored.")
  String searchIntro();

  @Message("By a hospital's identifier")
  String byIdentifier();

  @Message("Identifier (e.g. HA-100234)")
  String identifier();

  @Message("Hospital or clinic")
  String site();

  @Message("Any")
  String anySite();

  @Message("By the regional identifier")
  String byRegional();

  @Message("Regional identifier (e.g. REG-000001)")
  String regional();

  @Message("By name and birth date")
  String byName();

  @Message("Name (family or given)")
  String name();

  @Message("Birth date")
  String birthDate();

  @Message("Search")
  String search();

  @Message("Patients found")
  String resultsCaption();

  @Message("Name")
  String personName();

  /** Before each hospital's spelling of the person's name, when the spellings differ. */
  @Message("Name at each hospital:")
  String spellings();

  @Message("Identifiers")
  String identities();

  @Message("No patient matches this search.")
  String noResults();

  @Message("Priors")
  String openPriors();

  @Message("A name search needs the birth date too (year, month and day).")
  String needBirthDate();

  @Message("A birth date search needs the name too.")
  String needName();

  @Message("The search could not be read. Check the identifier and try again.")
  String badSearch();

  @Message("Priors of {name}")
  String timelineTitle(String name);

  @Message("Every study of this person at every site, newest first.")
  String timelineIntro();

  @Message("Imaging studies, all sites")
  String timelineCaption();

  @Message("Date")
  String date();

  @Message("Type")
  String modality();

  @Message("Body part")
  String bodyPart();

  /** DICOM PS3.16 Annex L's common body parts by SNOMED CT code; any other as the node named it. */
  @Message(
      "{#when code}{#is '818981001'}Abdomen{#is '12738006'}Brain{#is '43799004'}Chest"
          + "{#is '69536005'}Head{#is '72696002'}Knee{#is '122496007'}Lumbar spine"
          + "{#else}{display}{/when}")
  String bodySite(String code, String display);

  @Message("Description")
  String description();

  @Message("Images")
  String images();

  @Message("Availability")
  String availability();

  @Message("Online")
  String online();

  @Message("Unknown")
  String unknownAvailability();

  @Message("Archived: it must be restored first, which can take hours")
  String archived();

  @Message("Being restored")
  String restoring();

  @Message("Restore due by now: open it again to bring it online")
  String restoreDue();

  @Message("Being restored, expected by")
  String restoringUntil();

  @Message("Site unreachable")
  String siteUnreachable();

  @Message("Picture")
  String picture();

  @Message("{modality} image of {date}")
  String pictureOf(String modality, String date);

  @Message("Open in viewer")
  String openInViewer();

  @Message("(no description)")
  String noDescription();

  @Message("No imaging study is registered for this person.")
  String noPriors();

  @Message("Back to search")
  String backToSearch();

  @Message(
      "Some of this patient's records were withheld because of the patient's consent to sharing.")
  String withheld();

  @Message(
      "This patient's records were withheld because of the patient's consent to sharing: the"
          + " patient exists, but none of their records may be shown to you.")
  String withheldAll();

  @Message("Emergency access")
  String emergencyOpen();

  @Message(
      "To ask for emergency access, search by a hospital's identifier (with the hospital) or by the"
          + " regional identifier.")
  String emergencyNeedsIdentifier();

  @Message("Emergency access")
  String emergencyTitle();

  @Message(
      "Only when the patient's care cannot wait: you will see the patient's studies despite their"
          + " consent, for a limited time.")
  String emergencyIntro();

  @Message(
      "This access is audited, reviewed by the health authority and shown to the patient, with the"
          + " reason you give.")
  String emergencyWarning();

  @Message("Ask for emergency access")
  String emergencyFormTitle();

  @Message("Patient:")
  String emergencyPatient();

  @Message("Reason (required)")
  String emergencyReason();

  @Message("For how long")
  String emergencyDuration();

  @Message("{hours} h")
  String emergencyHours(String hours);

  @Message("Open emergency access")
  String emergencySubmit();

  @Message("Emergency access was not granted: {detail}")
  String emergencyRefused(String detail);

  @Message("state the reason, in words (the patient and the health authority will read it)")
  String emergencyNeedsReason();

  @Message("choose 1, 4, 8 or 24 hours")
  String emergencyHoursChoice();

  @Message("the reason has {length} characters; write at most {max}")
  String emergencyReasonTooLong(int length, long max);

  @Message("this region allows emergency access for at most {hours} hours; choose a shorter time")
  String emergencyTooLong(long hours);

  @Message(
      "the patient could not be identified; search for them again and open emergency access from"
          + " the result")
  String emergencyUnknownPatient();

  /** A refusal the form's fields do not explain (the form always sends a request). */
  @Message("the request could not be read; open emergency access again from the patient's search")
  String emergencyUnreadable();

  @Message("Emergency access until {until}")
  String emergencyActive(String until);

  @Message("(audited, reviewed by the health authority and shown to the patient)")
  String emergencyActiveNote();

  @Message("End emergency access now")
  String emergencyEnd();

  @Message(
      "The patient's studies that their consent withholds will be hidden again; the access so far"
          + " stays in the audit.")
  String emergencyEndIntro();

  @Message("End it now")
  String emergencyEndConfirm();

  @Message("Keep it")
  String emergencyKeep();

  @Message("Send to my PACS")
  String sendTitle();

  @Message("Send to my PACS")
  String sendSubmit();

  @Message("Back to the patient's studies")
  String sendBack();

  @Message(
      "The study is fetched from the hospital that holds it and stored in your clinic's PACS."
          + " The send is audited.")
  String sendIntro();

  @Message("Destination:")
  String sendDestination();

  /** The destination when the operators gave the clinic's PACS no name. */
  @Message("Your clinic's PACS")
  String sendDestinationUnnamed();

  /** Before the protocol and address (AE title, host and port, or URL), for the clinic's IT. */
  @Message("Technical detail:")
  String sendDestinationTechnical();

  @Message("Send this study")
  String sendFormTitle();

  @Message("Study:")
  String sendStudy();

  @Message("The study")
  String sendWhichStudy();

  @Message("Patient")
  String sendPatient();

  @Message("Study Instance UID")
  String sendStudyUid();

  @Message("Your clinic has no PACS configured for sending; ask the exchange's operators.")
  String sendNoDestination();

  /** Why the service refused a send, by its error code (never the API's English detail). */
  @Message(
      "The study was not sent: {#when code}"
          + "{#is 'CONSENT_DENIED'}the patient's consent does not let your clinic see it."
          + "{#is in 'NOT_FOUND'}no study you may see has this UID, or it has no images."
          + "{#is in 'BAD_REQUEST' 'INVALID_UID'}this is not a study UID."
          + "{#is 'CONFLICT'}your clinic has no PACS configured for sending."
          + "{#is in 'SITE_UNAVAILABLE' 'SITE_TIMEOUT'}the hospital that holds it did not answer;"
          + " try again later."
          + "{#else}you may not send this study.{/when}")
  String sendRefused(String code);

  @Message("Sending to my PACS")
  String sendProgressTitle();

  @Message("Progress")
  String sendProgressLabel();

  @Message("Waiting to start")
  String sendQueued();

  @Message("Sending…")
  String sendRunning();

  @Message("Done: the study is in your PACS.")
  String sendCompleted();

  @Message("The send failed.")
  String sendFailed();

  /** Why a send failed, by its kind (hub/send SendFailure; the recorded reason is for IT). */
  @Message(
      "{#when code}"
          + "{#is 'INTERRUPTED'}The exchange restarted during the send; send the study again."
          + "{#is 'AUDIT_UNAVAILABLE'}The exchange could not record the send in its audit trail,"
          + " so nothing was sent; try again later."
          + "{#is 'CONNECTION_LOST'}The connection to your clinic's PACS broke off during the"
          + " send; send the study again."
          + "{#is 'NOT_ALL_STORED'}Not every image was stored: the hospital that holds the study"
          + " did not supply some, or your PACS refused them. Send the study again, or ask your"
          + " clinic's IT."
          + "{#is 'PACS_UNREACHABLE'}Your clinic's PACS could not be reached or did not accept"
          + " the images; ask your clinic's IT to check it, then send the study again."
          + "{#else}The exchange could not finish the send; try again later.{/when}")
  String sendFailure(String code);

  @Message("Stored:")
  String sendStored();

  @Message("Not stored:")
  String sendNotStored();

  @Message("Images:")
  String sendTotal();

  @Message("Refresh")
  String sendRefresh();

  @Message("Send to my PACS")
  String sendToPacs();

  @Message("Open")
  String openNotOnline();

  @Message("Open a study that is not online")
  String restoreTitle();

  /** Why a restore was not started, by the service's error code (never the API's detail). */
  @Message(
      "The restore was not started: {#when code}"
          + "{#is 'CONSENT_DENIED'}the patient's consent does not let your clinic see this study."
          + "{#is 'NOT_FOUND'}the hospital no longer holds this study."
          + "{#is in 'SITE_UNAVAILABLE' 'SITE_TIMEOUT'}the hospital that holds it did not answer;"
          + " try again later."
          + "{#is 'STORAGE_UNAVAILABLE'}the hospital's archive could not restore it now; try"
          + " again later, or ask the hospital's imaging department."
          + "{#else}the hospital refused it; try again later.{/when}")
  String restoreRefused(String code);

  @Message("Online at {site}: it opens in the viewer now.")
  String restoreOnline(String site);

  @Message("Archived at {site}.")
  String restoreArchived(String site);

  @Message(
      "Its images are in the hospital's archive tier and must be restored before they can be"
          + " viewed. A restore can take hours; this page follows it and offers the viewer once"
          + " the study is online.")
  String restoreArchivedNote();

  @Message("Restore this study")
  String restoreFormTitle();

  @Message("Start the restore")
  String restoreStart();

  @Message("The restore should be over by now: checking whether the study is back…")
  String restoreChecking();

  @Message("Check now")
  String restoreCheck();

  @Message(
      "{site} is bringing the images back from its archive. This page checks again by itself;"
          + " you may leave it and come back.")
  String restoreWaitNote(String site);

  @Message(
      "{site} cannot be reached now: the study can be neither opened nor restored until it answers.")
  String restoreUnreachable(String site);

  @Message("Try again")
  String restoreRetry();

  @Message("Whether {site} can serve this study now is not known.")
  String restoreUnknown(String site);

  @Message(
      "This study cannot be shown to you: it is unknown, or the patient's sharing consent"
          + " withholds it.")
  String restoreNotShown();
}
