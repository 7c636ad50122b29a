package io.ponte.hub.send;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /api/clinician/sends}: a clinician sends a study to their organisation's PACS ({@code POST
 * {"studyUid": ...}}, 202 with the job's Location) and follows it ({@code GET
 * /api/clinician/sends/{id}}: state, total, completed, failed, reason). Errors are problem+json.
 */
@Path("/hub/api/clinician/sends")
@Produces(MediaType.APPLICATION_JSON)
public class SendResource {

  /** What a send names: the study, nothing about where (that is the organisation's own PACS). */
  public record SendRequest(String studyUid) {}

  @Inject SendService sends;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response send(SendRequest request) {
    SendService.Job job = sends.start(request == null ? null : request.studyUid());
    return Response.accepted(job).location(URI.create("/api/clinician/sends/" + job.id())).build();
  }

  @GET
  @Path("{id}")
  public SendService.Job job(@PathParam("id") String id) {
    return sends.job(id);
  }
}
