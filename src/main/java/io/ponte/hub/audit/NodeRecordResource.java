package io.ponte.hub.audit;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/audit/node-records}: a node's audit outbox delivers its records here, {@code
 * {"records": [...]}} with at most {@value NodeRecordIntake#MAX_RECORDS}; the answer says how many
 * were appended and how many the hub already had. Who may send what is decided by {@link
 * NodeRecordIntake}.
 */
@Path("/hub/api/audit/node-records")
@Authenticated
public class NodeRecordResource {

  @Inject NodeRecordIntake intake;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public NodeRecord.Accepted accept(NodeRecord.Batch batch) {
    return intake.accept(batch);
  }
}
