package io.ponte.hub.web.portal;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.audit.Actors;
import io.ponte.hub.registry.ImagingStudyReader;
import io.ponte.hub.site.HubSites;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * The signed-in patient's studies at every site, read through the same service as {@code GET
 * /fhir/ImagingStudy}: the same role, scope and identity-link rules, the same audit record (with
 * purpose "patient-request"), and whatever consent check that service applies.
 */
@ApplicationScoped
public class PortalStudies {

  static final int PAGE_SIZE = 25;
  private static final String SITE_SOURCE = IdentifierSystems.SITE + ":";
  private static final String UID_PREFIX = "urn:oid:";

  @Inject ImagingStudyReader reader;

  @Inject HubSites sites;

  @Inject CurrentVertxRequest request;

  /** One study as the portal lists it. */
  public record Study(
      String uid, Instant started, List<String> modalities, String description, String site) {}

  public record Page(List<Study> studies, boolean hasNext) {}

  /** Page {@code page} (from 0) of the patient's studies, newest first. */
  public Page page(int page, int size) {
    // The portal states why it reads: a patient looking at their own records.
    request.getCurrent().request().headers().set(Actors.PURPOSE_HEADER, "patient-request");
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    query.putSingle("_count", Integer.toString(size));
    query.putSingle("_offset", Integer.toString(page * size));
    Bundle bundle = reader.search(query);
    List<Study> studies = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof ImagingStudy study) {
        studies.add(of(study));
      }
    }
    return new Page(studies, bundle.getLink(Bundle.LINK_NEXT) != null);
  }

  private Study of(ImagingStudy study) {
    String uid =
        study.getIdentifier().stream()
            .map(Identifier::getValue)
            .filter(v -> v != null && v.startsWith(UID_PREFIX))
            .map(v -> v.substring(UID_PREFIX.length()))
            .findFirst()
            .orElse(null);
    List<String> modalities =
        study.getModality().stream().map(Coding::getCode).distinct().collect(Collectors.toList());
    return new Study(
        uid,
        study.hasStarted() ? study.getStarted().toInstant() : null,
        modalities,
        study.getDescription(),
        siteName(study.getMeta().getSource()));
  }

  /** The site's display name from the study's meta.source ({@code urn:ponte:site:<id>}). */
  private String siteName(String source) {
    if (source == null || !source.startsWith(SITE_SOURCE)) {
      return "";
    }
    String id = source.substring(SITE_SOURCE.length());
    return sites.site(id).map(HubSites.Site::name).orElse(id);
  }
}
