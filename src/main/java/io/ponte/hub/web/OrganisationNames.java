package io.ponte.hub.web;

import io.ponte.hub.site.HubSites;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * An organisation as the pages name it, from the id its people's tokens and the audit records
 * carry: a site by its configured name, the health authority in the page's language (it is no site,
 * so {@code ponte.hub.sites} does not name it), anything else by its id rather than nothing.
 */
@ApplicationScoped
public class OrganisationNames {

  @Inject HubSites sites;

  @Inject WebConfig config;

  /** The display name of {@code id} in language {@code lang} ({@code pt} or {@code en}). */
  public String name(String id, String lang) {
    if (id == null || id.isBlank()) {
      return "";
    }
    if (id.equals(config.authorityOrganization())) {
      return MessageBundles.get(WebMessages.class, Localized.Literal.of(lang)).healthAuthority();
    }
    return sites.site(id).map(HubSites.Site::name).orElse(id);
  }
}
