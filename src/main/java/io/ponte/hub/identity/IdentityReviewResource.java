package io.ponte.hub.identity;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /api/identity/...} at the hub: the review list of pairs the matcher was unsure of, the
 * reviewer's decisions (link, reject), unlinking, and a person's link history. For the authority
 * and admins (checked, and refusals audited, in {@link IdentityReview}); problem+json on errors.
 */
@Path("/hub/api/identity")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityReviewResource {

  @Inject IdentityReview review;

  /** An optional free-text note with a decision. */
  public record Note(String note) {}

  /** Body of an unlink: the local identifier and an optional note. */
  public record Unlink(String system, String value, String note) {}

  @GET
  @Path("candidates")
  public IdentityReview.Page candidates(
      @QueryParam("status") @DefaultValue("open") String status,
      @QueryParam("_count") Integer count,
      @QueryParam("_offset") Integer offset) {
    return review.list(status, count, offset);
  }

  @POST
  @Path("candidates/{id}/link")
  @Consumes(MediaType.APPLICATION_JSON)
  public IdentityReview.Pair link(@PathParam("id") long id, Note note) {
    return review.link(id, note == null ? null : note.note());
  }

  @POST
  @Path("candidates/{id}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  public IdentityReview.Pair reject(@PathParam("id") long id, Note note) {
    return review.reject(id, note == null ? null : note.note());
  }

  @POST
  @Path("unlink")
  @Consumes(MediaType.APPLICATION_JSON)
  public LinkSet unlink(Unlink body) {
    return review.unlink(
        body == null ? null : new LocalIdentifier(body.system(), body.value()),
        body == null ? null : body.note());
  }

  @GET
  @Path("history/{regionalId}")
  public List<IdentityReview.History> history(@PathParam("regionalId") String regionalId) {
    return review.history(regionalId);
  }
}
