package io.ponte.hub.consent;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what decisions need in batches: a fixed number of statements whatever the number of studies
 * (persons of many patients in one, their consents in one, their grants in one).
 */
@ApplicationScoped
class ConsentStore {

  // Looked up lazily: on a node the hub datasource is inactive and must not be touched.
  @Inject
  @DataSource("hub")
  InjectableInstance<AgroalDataSource> dataSource;

  long epoch() {
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps = c.prepareStatement("select epoch from consent_epoch where id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("consent epoch unreadable", e);
    }
  }

  /** The person of each hub Patient id (an unlinked patient is a person of one). */
  Map<String, Person> persons(Collection<String> patientIds) {
    Map<String, String> regional = new HashMap<>();
    Map<String, Set<String>> members = new HashMap<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select p.pid, l1.regional_id, l2.patient_id from unnest(?) as p(pid)"
                    + " left join identity_link l1 on l1.patient_id = p.pid"
                    + " left join identity_link l2 on l2.regional_id = l1.regional_id")) {
      ps.setArray(1, c.createArrayOf("varchar", patientIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String pid = rs.getString(1);
          String reg = rs.getString(2);
          if (reg != null) {
            regional.put(pid, reg);
            members.computeIfAbsent(reg, r -> new LinkedHashSet<>()).add(rs.getString(3));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("identity links unreadable", e);
    }
    Map<String, Person> out = new HashMap<>();
    for (String pid : patientIds) {
      String reg = regional.get(pid);
      out.put(pid, reg == null ? Person.unlinked(pid) : new Person(reg, members.get(reg)));
    }
    return out;
  }

  /** Active consents and unexpired, unended grants of these persons, by person key. */
  Map<String, PersonConsents> consents(Collection<Person> persons) {
    Set<String> regionalIds = new LinkedHashSet<>();
    Set<String> patientIds = new LinkedHashSet<>();
    for (Person p : persons) {
      if (p.regionalId() != null) {
        regionalIds.add(p.regionalId());
      }
      patientIds.addAll(p.patientIds());
    }
    List<Row<RecordedConsent>> consents = new ArrayList<>();
    List<Row<ActiveGrant>> grants = new ArrayList<>();
    try (Connection c = dataSource.get().getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select id, regional_id, patient_id, consented_at, recorded_at, rules from consent"
                  + " where status = 'active' and (regional_id = any(?) or patient_id = any(?))")) {
        bindPersons(c, ps, regionalIds, patientIds);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            consents.add(
                new Row<>(
                    rs.getString(2),
                    rs.getString(3),
                    StoredRules.read(
                        rs.getString(1), instant(rs, 4), instant(rs, 5), rs.getString(6))));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "select id, regional_id, patient_id, username, starts_at, ends_at from emergency_grant"
                  + " where ended_at is null and ends_at > now()"
                  + " and (regional_id = any(?) or patient_id = any(?))")) {
        bindPersons(c, ps, regionalIds, patientIds);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            grants.add(
                new Row<>(
                    rs.getString(2),
                    rs.getString(3),
                    new ActiveGrant(
                        rs.getString(1), rs.getString(4), instant(rs, 5), instant(rs, 6))));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("consents unreadable", e);
    }
    Map<String, PersonConsents> out = new HashMap<>();
    for (Person p : persons) {
      out.put(
          p.key(),
          new PersonConsents(
              p,
              consents.stream().filter(r -> r.of(p)).map(Row::value).toList(),
              grants.stream().filter(r -> r.of(p)).map(Row::value).toList()));
    }
    return out;
  }

  /**
   * Every person with an active consent or an unended emergency grant, with their consents and
   * grants: what {@link SearchVisibility} decides ahead of a search. A few statements whatever the
   * number of persons: ids in one, persons in one, their consents and grants in two.
   */
  List<PersonConsents> bearing() {
    Set<String> regionalIds = new LinkedHashSet<>();
    Set<String> patientIds = new LinkedHashSet<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select regional_id, patient_id from consent where status = 'active'"
                    + " union select regional_id, patient_id from emergency_grant"
                    + " where ended_at is null and ends_at > now()");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (rs.getString(1) != null) {
          regionalIds.add(rs.getString(1));
        }
        if (rs.getString(2) != null) {
          patientIds.add(rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("consents unreadable", e);
    }
    Map<String, Person> persons = new HashMap<>();
    for (Person p : persons(patientIds).values()) {
      persons.put(p.key(), p);
    }
    for (Person p : personsOfRegional(regionalIds)) {
      persons.putIfAbsent(p.key(), p);
    }
    return List.copyOf(consents(persons.values()).values());
  }

  /** The persons under these regional ids (every linked hub Patient; none for an unknown id). */
  private List<Person> personsOfRegional(Collection<String> regionalIds) {
    Map<String, Set<String>> members = new HashMap<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select regional_id, patient_id from identity_link where regional_id = any(?)")) {
      ps.setArray(1, c.createArrayOf("varchar", regionalIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          members.computeIfAbsent(rs.getString(1), r -> new LinkedHashSet<>()).add(rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("identity links unreadable", e);
    }
    List<Person> out = new ArrayList<>();
    members.forEach((regional, ids) -> out.add(new Person(regional, ids)));
    return out;
  }

  /** The site of each hub Patient: the site that owns all of the patient's studies. */
  Map<String, String> sitesOf(Collection<String> patientIds) {
    Map<String, String> out = new HashMap<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement("select id, site_id from patient where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("varchar", patientIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("patients unreadable", e);
    }
    return out;
  }

  private record Row<T>(String regionalId, String patientId, T value) {
    boolean of(Person p) {
      return (regionalId != null && regionalId.equals(p.regionalId()))
          || (patientId != null && p.patientIds().contains(patientId));
    }
  }

  private static void bindPersons(
      Connection c, PreparedStatement ps, Set<String> regionalIds, Set<String> patientIds)
      throws SQLException {
    ps.setArray(1, c.createArrayOf("varchar", regionalIds.toArray()));
    ps.setArray(2, c.createArrayOf("varchar", patientIds.toArray()));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
