package io.ponte.hub.web.authority;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Words of the authority's dashboard, in English; the Portuguese are in {@code
 * messages/authority_pt.properties}. Templates read them as {@code authority:key}.
 */
@MessageBundle(value = "authority", locale = "en")
public interface AuthorityMessages {

  @Message("Regional health authority")
  String title();

  @Message("Sharing at a glance")
  String navDashboard();

  @Message("Sharing at a glance")
  String dashboardTitle();

  @Message(
      "How imaging studies are shared between the region's hospitals and clinics: counts from the"
          + " registry, the audit trail and the patients' sharing choices. No image is shown here.")
  String dashboardIntro();

  @Message("Period")
  String period();

  @Message("From")
  String from();

  @Message("To")
  String to();

  @Message("Show")
  String show();

  @Message(
      "Figures from {from} to {to}, both days included; studies, sharing choices and sites are as"
          + " of now.")
  String periodSummary(String from, String to);

  @Message("The figures could not be shown: {detail}")
  String error(String detail);

  /** What was wrong with the period asked for, by its fault (DateRange.Fault). */
  @Message(
      "{#when fault}{#is 'FROM'}the start date is not a date; pick one in the calendar."
          + "{#is 'TO'}the end date is not a date; pick one in the calendar."
          + "{#is 'REVERSED'}the start date is after the end date."
          + "{#else}a period is at most {max} days; choose a shorter one.{/when}")
  String rangeError(String fault, int max);

  @Message("Download as CSV")
  String csv();

  @Message("Nothing in this period.")
  String empty();

  @Message(
      "{#when id}{#is 'studies-per-site'}Studies registered per site"
          + "{#is 'cross-site-retrievals'}Retrievals of another site's images, per day"
          + "{#is 'top-organizations'}Organisations retrieving most from other sites"
          + "{#is 'denials'}Refused accesses, by reason"
          + "{#is 'consent-choices'}Patients' sharing choices, by site"
          + "{#is 'emergency-pending'}Emergency accesses awaiting review"
          + "{#is 'site-status'}Sites: publication lag and node{#else}{id}{/when}")
  String caption(String id);

  @Message(
      "{#when column}{#is 'site'}Site{#is 'studies'}Studies{#is 'day'}Day"
          + "{#is 'retrievals'}Retrievals{#is 'organization'}Organisation{#is 'reason'}Reason"
          + "{#is 'denials'}Refusals{#is 'choice'}Choice{#is 'consents'}Patients"
          + "{#is 'id'}Access{#is 'clinician'}Clinician{#is 'clinician_name'}Clinician's name"
          + "{#is 'starts_at'}Opened"
          + "{#is 'ends_at'}Until{#is 'last_publication'}Last publication"
          + "{#is 'publication_lag_seconds'}Since then{#is 'node'}Node"
          + "{#else}{column}{/when}")
  String column(String column);

  /** A number of days, as the dashboard's durations name them ("1 h 2 min", "3 days 4 h"). */
  @Message("{#if n == 1}1 day{#else}{n} days{/if}")
  String days(long n);

  @Message(
      "{#when choice}{#is 'share-all'}share with all{#is 'share-except'}share except named"
          + "{#is 'share-nothing'}share nothing{#else}{choice}{/when}")
  String choice(String choice);

  @Message("Chart: {caption}. The same figures are in the table below.")
  String chartLabel(String caption);

  @Message("Mark reviewed")
  String markReviewed();

  @Message("Review comment")
  String reviewComment();

  @Message("Review")
  String reviewColumn();

  @Message("The emergency access was marked reviewed.")
  String reviewed();

  /** Why a review was not recorded, by the service's error code (never the API's detail). */
  @Message(
      "The review was not recorded: {#when code}"
          + "{#is 'NOT_FOUND'}there is no such emergency access."
          + "{#is 'CONFLICT'}someone has already reviewed this access; it is no longer pending."
          + "{#is 'BAD_REQUEST'}write a comment, of at most {max} characters."
          + "{#is in 'AUDIT_UNAVAILABLE' 'STORAGE_UNAVAILABLE'}the exchange cannot record it"
          + " right now; try again later."
          + "{#else}the exchange refused it; try again later.{/when}")
  String reviewRefused(String code, int max);

  @Message("No emergency access awaits review.")
  String noPending();

  @Message("Retrieval latency")
  String latencyTitle();

  @Message(
      "Median (p50) {p50} ms, p95 {p95} ms, over the WADO-RS retrieves this hub served in the"
          + " last few minutes ({count} since it started).")
  String latency(String p50, String p95, long count);

  @Message("No retrieve measured by this hub since it started.")
  String noLatency();

  @Message(
      "No retrieve in the last few minutes, so no current figure ({count} since this hub started).")
  String idleLatency(long count);

  @Message(
      "{#when state}{#is 'reachable'}answers{#is 'unreachable'}not reachable"
          + "{#is 'none'}no node configured{#else}{state}{/when}")
  String node(String state);

  @Message(
      "Node: whether the site's node answered the hub's latest check (the hub asks every node in"
          + " the background, every 30 s by default; the exchange's monitoring reads the same"
          + " answer).")
  String reachabilityNote();

  @Message("Identity review")
  String navIdentity();

  @Message("Is it the same person?")
  String identityTitle();

  @Message(
      "Pairs of patients published by different sites that the matcher found alike but not alike"
          + " enough to link on its own. Linking joins their studies and sharing choices under one"
          + " regional person; rejecting keeps them apart for good. Every decision is audited. A"
          + " link is undone through the identity API (POST /api/identity/unlink), not on this"
          + " page.")
  String identityIntro();

  @Message(
      "{#when status}{#is 'open'}Awaiting review{#is 'accepted'}Linked{#is 'rejected'}Kept apart"
          + "{#else}{status}{/when}")
  String pairStatus(String status);

  @Message("Pairs by status")
  String pairStatuses();

  @Message("Pairs of patients: {status}")
  String pairsCaption(String status);

  @Message(
      "{#when status}{#is 'open'}No pair awaits review."
          + "{#is 'accepted'}No pair has been linked yet.{#is 'rejected'}No pair has"
          + " been kept apart yet.{#else}Nothing to show here.{/when}")
  String noPairs(String status);

  @Message("Score")
  String score();

  @Message("First patient")
  String patientA();

  @Message("Second patient")
  String patientB();

  @Message("Decision")
  String decision();

  @Message("Site")
  String site();

  @Message("Identifier")
  String identifier();

  @Message("Name")
  String name();

  @Message("Born")
  String born();

  @Message("Sex")
  String sex();

  @Message("Regional person")
  String regionalPerson();

  @Message(
      "{#when gender}{#is 'female'}female{#is 'male'}male{#is 'other'}other{#is 'unknown'}unknown"
          + "{#else}{gender}{/when}")
  String gender(String gender);

  @Message("Why (kept with the decision)")
  String decisionNote();

  @Message("Same person: link")
  String linkPair();

  @Message("Not the same person")
  String rejectPair();

  @Message(
      "{#when done}{#is 'linked'}The two patients are now one person.{#is 'rejected'}The two"
          + " patients are kept apart.{#else}{done}{/when}")
  String decided(String done);

  @Message("Decided by {who} on {when}: {note}")
  String decidedBy(String who, String when, String note);

  /**
   * Why a link ({@code linked}) or keep-apart ({@code rejected}) decision was not recorded, by the
   * service's error code (never the API's detail).
   */
  @Message(
      "The decision could not be recorded: {#when code}"
          + "{#is 'NOT_FOUND'}this pair is no longer on the review list."
          + "{#is 'CONFLICT'}{#if decision == 'linked'}the two patients already belong to two"
          + " different regional persons; unlink one of them through the identity API first."
          + "{#else}the two patients are already linked as one person; unlink one of them"
          + " through the identity API instead.{/if}"
          + "{#is 'BAD_REQUEST'}a note is at most {max} characters; shorten it."
          + "{#is in 'AUDIT_UNAVAILABLE' 'STORAGE_UNAVAILABLE'}the exchange cannot record it"
          + " right now; try again later."
          + "{#else}the exchange refused it; try again later.{/when}")
  String decisionRefused(String code, String decision, int max);

  /** A list asked for by an address the page never links to (a status or offset typed in). */
  @Message(
      "{#when filter}{#is 'status'}There is no such list of pairs; choose one of the lists above."
          + "{#else}There is no such page of this list; start from its first page.{/when}")
  String badFilter(String filter);

  @Message("Previous pairs")
  String previousPairs();

  @Message("More pairs")
  String morePairs();

  /** One of the matcher's reasons (MatchScorer), in words; any other as the matcher wrote it. */
  @Message(
      "{#when reason}{#is 'name missing'}name missing{#is 'birth date missing'}birth date missing"
          + "{#is 'birth date exact'}same birth date{#is 'birth date day and month swapped'}birth"
          + " date with day and month swapped{#is 'birth date one digit apart'}birth date one"
          + " digit apart{#is 'birth date differs'}birth date differs{#is 'sex unknown'}sex"
          + " unknown{#is 'sex same'}same sex{#is 'sex differs'}sex differs{#else}{reason}{/when}")
  String matchReason(String reason);

  /** The matcher's name reason: its score, the words paired, the words left without a pair. */
  @Message("name {score}{#if pairs} ({pairs}){/if}{#if unmatched}, unmatched: {unmatched}{/if}")
  String nameReason(String score, String pairs, String unmatched);
}
