package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.site.HubSites;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.security.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who may do what with the registry. Checked in services (not with @RolesAllowed) so that every
 * refusal is audited with the request it refused. Every realm client carries several SMART scopes,
 * so role AND scope are both required.
 */
@ApplicationScoped
public class RegistryAccess {

  @Inject Caller caller;

  @Inject HubSites sites;

  /**
   * How a permitted study reader sees the registry: everything (clinician) or one person's studies
   * (patient).
   */
  public record StudyReader(boolean clinician, String patientRegionalId) {
    public boolean restricted() {
      return !clinician;
    }
  }

  public StudyReader requireStudyReader() {
    if (caller.hasRole(Roles.CLINICIAN)) {
      // A clinic's PACS (realm client <clinic>-pacs, client credentials) reads for its clinic with
      // the backend-services scope instead of user/: consent and audit apply as to the clinic's
      // clinicians, while what needs a person's scope (emergency access, patient search) stays out.
      if (!caller.hasScope(Scopes.SYSTEM_IMAGING_STUDY_READ)) {
        caller.requireScope(Scopes.USER_IMAGING_STUDY_READ);
      }
      return new StudyReader(true, null);
    }
    if (caller.hasRole(Roles.PATIENT)) {
      caller.requireScope(Scopes.PATIENT_IMAGING_STUDY_READ);
      String regional = caller.requirePatientId();
      return new StudyReader(false, regional);
    }
    throw new ProblemException(
        ErrorCode.FORBIDDEN, "reading imaging studies needs the clinician or patient role");
  }

  /**
   * A node publishing: role node, scope system/ImagingStudy.cu, and a site claim naming a federated
   * site.
   */
  public HubSites.Site requirePublisher() {
    if (!caller.hasRole(Roles.NODE)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN, "only a site node may publish imaging studies");
    }
    caller.requireScope(Scopes.SYSTEM_IMAGING_STUDY_WRITE);
    Optional<String> site = caller.site();
    return site.flatMap(sites::site)
        .orElseThrow(
            () ->
                new ProblemException(
                    ErrorCode.WRONG_SITE,
                    "the node token's site claim does not name a federated site"));
  }

  public void requirePatientReader() {
    if (!caller.hasRole(Roles.CLINICIAN)) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "reading patients needs the clinician role");
    }
    caller.requireScope(Scopes.USER_PATIENT_READ);
  }

  /**
   * Organizations and Endpoints are the public directory of the federation: any Ponte role may read
   * them.
   */
  public void requireDirectoryReader() {
    for (String role :
        new String[] {
          Roles.CLINICIAN, Roles.PATIENT, Roles.AUTHORITY, Roles.ADMIN, Roles.NODE, Roles.HUB
        }) {
      if (caller.hasRole(role)) {
        return;
      }
    }
    throw new ProblemException(ErrorCode.FORBIDDEN, "no Ponte role in the token");
  }
}
