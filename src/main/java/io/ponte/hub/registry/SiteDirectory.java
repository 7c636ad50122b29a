package io.ponte.hub.registry;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.site.HubSites;
import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * The federation's directory: one Organization per configured site and one Endpoint per site. Every
 * Endpoint's address is the hub's OWN DICOMweb: clients never learn (or reach) a node's private
 * address.
 */
@ApplicationScoped
public class SiteDirectory {

  public static final String CONNECTION_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
  public static final String PAYLOAD_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/endpoint-payload-type";
  private static final Instant LOADED = Instant.now();

  @Inject HubSites sites;

  @Inject PonteConfig ponte;

  /** SMART Imaging Access's extension on an Endpoint whose retrieves take the caller's token. */
  public static final String REQUIRES_ACCESS_TOKEN =
      "http://fhir.org/argonaut/smart-imaging/StructureDefinition/requires-access-token";

  public static String endpointId(String siteId) {
    return siteId + "-dicomweb";
  }

  public String dicomWebAddress() {
    return Urls.withoutTrailingSlash(ponte.publicUrl()) + "/dicomweb";
  }

  public String fhirBase() {
    return Urls.withoutTrailingSlash(ponte.publicUrl()) + "/fhir";
  }

  public List<Organization> organizations() {
    return sites.sites().stream().map(this::organization).toList();
  }

  public List<Endpoint> endpoints() {
    return sites.sites().stream().map(this::endpoint).toList();
  }

  public Optional<Organization> organization(String id) {
    return sites.site(id).map(this::organization);
  }

  public Optional<Endpoint> endpoint(String id) {
    return sites.sites().stream()
        .filter(s -> endpointId(s.id()).equals(id))
        .findFirst()
        .map(this::endpoint);
  }

  Organization organization(HubSites.Site site) {
    Organization org = new Organization();
    org.setId(site.id());
    org.getMeta().setVersionId("1").setLastUpdated(Date.from(LOADED));
    org.addIdentifier().setSystem(IdentifierSystems.SITE).setValue(site.id());
    org.setActive(true);
    org.setName(site.name());
    org.addEndpoint(new Reference("Endpoint/" + endpointId(site.id())));
    return org;
  }

  Endpoint endpoint(HubSites.Site site) {
    Endpoint endpoint = new Endpoint();
    endpoint.setId(endpointId(site.id()));
    endpoint.getMeta().setVersionId("1").setLastUpdated(Date.from(LOADED));
    endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
    endpoint.setConnectionType(
        new Coding(CONNECTION_TYPE_SYSTEM, "dicom-wado-rs", "DICOM WADO-RS"));
    endpoint.setName(site.name() + " studies through the Ponte hub (DICOMweb)");
    endpoint.setManagingOrganization(
        new Reference("Organization/" + site.id()).setDisplay(site.name()));
    endpoint.addPayloadType().addCoding(new Coding(PAYLOAD_TYPE_SYSTEM, "any", "Any"));
    endpoint.addPayloadMimeType("application/dicom");
    endpoint.addPayloadMimeType("application/dicom+json");
    endpoint.setAddress(dicomWebAddress());
    // SMART Imaging Access: retrieve with the same bearer token that found the study.
    endpoint.addExtension(
        new org.hl7.fhir.r4.model.Extension(
            REQUIRES_ACCESS_TOKEN, new org.hl7.fhir.r4.model.BooleanType(true)));
    return endpoint;
  }
}
