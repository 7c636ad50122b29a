package io.ponte.hub.audit;

import io.agroal.api.AgroalDataSource;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** The chain walk inside the running hub (for {@code GET /api/audit/verify} and tests). */
@ApplicationScoped
public class AuditVerification {

  @Inject
  @DataSource("hub")
  Instance<AgroalDataSource> dataSource;

  public ChainVerifier.Verification verify(Instant from, Instant to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "from is after to");
    }
    try (Connection c = dataSource.get().getConnection()) {
      return new ChainVerifier(c).verify(from, to);
    } catch (SQLException e) {
      throw new ProblemException(
          ErrorCode.AUDIT_UNAVAILABLE, "the audit trail could not be read", Map.of(), e);
    }
  }

  public ChainVerifier.Verification verifyAll() {
    return verify(null, null);
  }
}
