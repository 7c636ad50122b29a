package io.ponte.hub.registry;

import io.agroal.api.AgroalDataSource;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.PersonStudies;
import io.ponte.hub.consent.HeldStudies;
import io.ponte.hub.consent.SearchScope;
import io.ponte.hub.identity.IdentityService;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry's typed reader for the hub's DICOMweb: study searches as one set-based statement
 * ({@link StudyMatchSql}), the study a caller may see, its series and instances, and (for consent,
 * as {@link HeldStudies}) whether a person has studies at a site, and (for the audit's patient
 * view, as {@link PersonStudies}) which studies are hers. Callers get records; no other package
 * writes SQL against the registry's tables.
 */
@ApplicationScoped
public class RegisteredStudies implements HeldStudies, PersonStudies {

  @Inject ImagingStudyRepository studies;

  @Inject IdentityService identity;

  // Looked up lazily: on a node the hub datasource is inactive and must not be touched. Plain
  // JDBC: the page is read column by column, with array parameters, and no entity is built.
  @Inject
  @DataSource("hub")
  InjectableInstance<AgroalDataSource> dataSource;

  /** One page of a study search, and whether the search matched any study left out. */
  public record StudyPage(List<StudySummary> studies, boolean withheld) {}

  /**
   * One page of the studies matching that {@code scope} shows, newest first: the database pages
   * over visible rows only, so {@code limit} and {@code offset} count what the caller may see.
   * {@link StudyPage#withheld} says whether the search matches any study {@code scope} leaves out
   * (for the "some results were withheld" notice, which must not depend on where the page falls).
   */
  @Transactional
  public StudyPage search(StudyMatch match, SearchScope scope, int limit, int offset) {
    try (Connection c = dataSource.get().getConnection()) {
      return search(c, match, NameRoute.choose(c, match, limit, offset), scope, limit, offset);
    } catch (SQLException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the registry could not be searched", Map.of(), e);
    }
  }

  /** The page, each PatientName matched by the route given (tests compare the routes). */
  StudyPage search(
      Connection c,
      StudyMatch match,
      Map<StudyMatch.PatientName, NameRoute.Route> routes,
      SearchScope scope,
      int limit,
      int offset)
      throws SQLException {
    StudyMatchSql q = StudyMatchSql.page(match, routes, scope, limit, offset);
    List<StudySummary> page = new ArrayList<>(Math.min(limit, 1000));
    boolean withheld = false;
    try (PreparedStatement ps = c.prepareStatement(q.sql())) {
      int i = bind(c, ps, q.args);
      ps.setInt(i++, limit);
      ps.setInt(i, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          withheld = rs.getBoolean(1);
          page.add(summary(rs));
        }
      }
    }
    if (page.isEmpty() && scope.mayWithhold()) {
      StudyMatchSql w = StudyMatchSql.of(match, routes);
      withheld = exists(c, w.withheldSql(scope), w.args);
    }
    return new StudyPage(page, withheld);
  }

  private static boolean exists(Connection c, String sql, List<Object> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  static int bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
    int i = 1;
    for (Object arg : args) {
      if (arg instanceof String[] values) {
        ps.setArray(i++, c.createArrayOf("varchar", values));
      } else {
        ps.setObject(i++, arg);
      }
    }
    return i;
  }

  /** Reads a row in {@link StudyMatchSql#sql()}'s column order (after the withheld column). */
  private static StudySummary summary(ResultSet rs) throws SQLException {
    String modalities = rs.getString(13);
    return new StudySummary(
        rs.getString(2),
        rs.getString(3),
        rs.getObject(4, OffsetDateTime.class),
        rs.getString(5),
        (Integer) rs.getObject(14),
        (Integer) rs.getObject(15),
        rs.getString(16),
        modalities == null ? List.of() : List.of(modalities.split("\\\\")),
        new StudySummary.Patient(
            rs.getString(12),
            rs.getString(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getObject(10, LocalDate.class),
            rs.getString(11),
            name(rs.getArray(17)),
            name(rs.getArray(18))));
  }

  /** A {family, given} array as a name; null when there is none. */
  private static StudySummary.Name name(Array a) throws SQLException {
    if (a == null) {
      return null;
    }
    String[] parts = (String[]) a.getArray();
    return new StudySummary.Name(parts[0], parts[1]);
  }

  /**
   * The registered study, if the reader may see it: 404 when unknown, 403 for a patient when it is
   * not theirs. Its patient goes on the audit record before the decision, so a refusal names it.
   */
  @Transactional
  public RegisteredStudy visible(
      RegistryAccess.StudyReader reader, String studyUid, AccessAudited.Builder record) {
    RegisteredStudy study =
        studies
            .locate(studyUid)
            .orElseThrow(
                () -> new ProblemException(ErrorCode.NOT_FOUND, "no registered study " + studyUid));
    record.patientId(study.patientId());
    if (reader.restricted()
        && !identity.patientIdsOf(reader.patientRegionalId()).contains(study.patientId())) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "this study is not one of yours");
    }
    return study;
  }

  /** The series and instances the study's stored ImagingStudy lists. */
  @Transactional
  public List<RegisteredStudy.Series> series(RegisteredStudy study) {
    ImagingStudyEntity entity = studies.findById(study.id());
    try {
      return StoredStudyJson.series(entity.resourceJson);
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the registered study could not be read", Map.of(), e);
    }
  }

  @Override
  @Transactional
  public boolean anyAt(String site, Collection<String> patientIds) {
    return !patientIds.isEmpty()
        && studies.count("siteId = ?1 and patientId in ?2", site, List.copyOf(patientIds)) > 0;
  }

  /**
   * The rule of a patient's own ImagingStudy search and read (a study whose Patient is linked to
   * her), applied to the studies audit records name.
   */
  @Override
  @Transactional
  public Set<String> studiesOf(Collection<String> patientIds, Collection<String> studyUids) {
    if (patientIds.isEmpty() || studyUids.isEmpty()) {
      return Set.of();
    }
    // Her studies (a person's few), not the records' (a page of searches may name thousands).
    Set<String> hers =
        new HashSet<>(
            studies
                .getEntityManager()
                .createQuery(
                    "select s.studyInstanceUid from ImagingStudyEntity s"
                        + " where s.patientId in :patients",
                    String.class)
                .setParameter("patients", List.copyOf(patientIds))
                .getResultList());
    hers.retainAll(Set.copyOf(studyUids));
    return Set.copyOf(hers);
  }
}
