package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/audit/verify[?from=DATE&to=DATE]}: the answer of {@code ponte audit verify} as
 * JSON, for the authority and admin. Dates are days (UTC) or instants.
 */
@Path("/hub/api/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
public class AuditVerifyResource {

  @Inject AuditVerification verification;

  @GET
  @RolesAllowed({Roles.AUTHORITY, Roles.ADMIN})
  public ChainVerifier.Verification verify(
      @QueryParam("from") String from, @QueryParam("to") String to) {
    return verification.verify(instant(from, false), instant(to, true));
  }

  /** A day (its start, or its end when {@code end}) or an instant; null when absent. */
  public static Instant instant(String value, boolean end) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return end
            ? day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1000)
            : day.atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "not a date (YYYY-MM-DD) or an instant: " + shorten(value));
    }
  }

  private static String shorten(String s) {
    String safe = s.replaceAll("[^\\x20-\\x7e]", "?");
    return safe.length() > 40 ? safe.substring(0, 40) + "..." : safe;
  }
}
