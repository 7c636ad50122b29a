package io.ponte.node.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.NodeStorage;
import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the node can serve each of some studies now, for the hub's timeline (not DICOMweb: a
 * node's own answer, to the hub only): {@code ONLINE}; {@code ARCHIVED}, some instances held only
 * in the Archive tier, so a retrieve would start a restore (202) first; {@code RESTORING}, a
 * restore of every such instance was asked for, with when it is expected back. Read from the index
 * alone: asking costs no Blob call and never starts a restore. Studies the node does not hold are
 * left out; naming none is the hub's check that the node answers at all.
 */
@Path("/node/dicomweb")
@RolesAllowed(Roles.HUB)
public class StudyAvailabilityResource {

  /** Studies per request: more would not fit a request line anyway (the hub sends about 40). */
  static final int MAX_STUDIES = 100;

  public enum State {
    ONLINE,
    ARCHIVED,
    RESTORING
  }

  /** A study's availability; {@code expectedAt} only when RESTORING. */
  public record Availability(State state, Instant expectedAt) {}

  @Inject HubOnlyAccess access;

  @Inject TierIndex tiers;

  @Inject NodeStorage storage;

  @GET
  @Path("/availability")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Availability> availability(@QueryParam("study") List<String> studies)
      throws SQLException {
    access.require();
    Set<String> uids = new LinkedHashSet<>();
    for (String study : studies) {
      uids.add(DicomwebUids.require("study", study));
    }
    if (uids.size() > MAX_STUDIES) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "name at most " + MAX_STUDIES + " studies, each as ?study=");
    }
    if (uids.isEmpty()) {
      return Map.of(); // the hub asking whether the node answers at all
    }
    Duration wait = storage.rehydrationDelay().estimate();
    Map<String, Availability> found = new LinkedHashMap<>();
    tiers.archivedOnly(uids).forEach((uid, archived) -> found.put(uid, of(archived, wait)));
    return found;
  }

  /** What a study's archived-only instances make of it, a restore taking {@code wait}. */
  static Availability of(TierIndex.ArchivedOnly archived, Duration wait) {
    if (archived.instances() == 0) {
      return new Availability(State.ONLINE, null);
    }
    if (archived.rehydrating() < archived.instances()) {
      // A retrieve of part of it (a thumbnail, one series) restores only that part.
      return new Availability(State.ARCHIVED, null);
    }
    return new Availability(State.RESTORING, archived.lastRequest().plus(wait));
  }
}
