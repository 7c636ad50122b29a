package io.ponte.hub.web.clinician;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import java.util.List;

/**
 * A study's body sites as every clinician page names them: in the page's language where the SNOMED
 * CT code is one the pages know ({@link ClinicianMessages#bodySite}), any other as the node named
 * it. One place, so that the timeline and the send pages cannot name the same study differently.
 */
final class BodySiteWords {

  private BodySiteWords() {}

  /** The sites, comma-separated, in {@code lang} ("pt" or "en"). */
  static String of(List<ClinicianSearch.BodySite> sites, String lang) {
    ClinicianMessages words =
        MessageBundles.get(ClinicianMessages.class, Localized.Literal.of(lang));
    return String.join(
        ", ", sites.stream().map(b -> words.bodySite(b.snomedCode(), b.display())).toList());
  }
}
