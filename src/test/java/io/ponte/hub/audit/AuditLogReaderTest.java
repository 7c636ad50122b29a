package io.ponte.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access log a patient reads: one group per actor, organisation, studies, kind of access,
 * purpose, outcome and day, with the count of requests, grouped by the database and paged by the
 * newest record of each group. Each test writes records for a fresh regional id through the audit
 * writer (the chain stays whole), so what it finds is only its own.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditLogReaderTest {

  static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

  @Inject AuditWriter writer;

  @Inject AuditLogReader reader;

  String patient;

  @BeforeEach
  void freshPatient() {
    patient = "REG-LOG-" + UUID.randomUUID();
  }

  AuditRecordEntity row(String username, String name, String study, String purpose) {
    AuditRecordEntity r = new AuditRecordEntity();
    r.action = "read";
    r.resourceType = "ImagingStudy";
    r.outcome = "success";
    r.status = 200;
    r.purpose = purpose;
    r.subject = "subject-of-" + username;
    r.username = username;
    r.actorName = name;
    r.organization = "clinic-norte";
    r.regionalIds = patient;
    r.studyUids = study;
    return r;
  }

  void append(AuditRecordEntity row, int times) throws AuditWriter.Unavailable {
    List<AuditRecordEntity> rows = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      AuditRecordEntity copy = row(row.username, row.actorName, row.studyUids, row.purpose);
      copy.outcome = row.outcome;
      copy.action = row.action;
      copy.organization = row.organization;
      rows.add(copy);
    }
    writer.appendAll(rows);
  }

  List<AuditLogReader.Access> page(Long before, int limit) {
    return reader.aboutPatient(patient, List.of(), "subject-of-" + patient, LISBON, before, limit);
  }

  @Test
  void aViewerOpeningOneStudyIsOneAccessWithItsRequestCount() throws Exception {
    append(row("ana.clinic", "Ana Costa", "1.2.3.100", "treatment"), 250);
    List<AuditLogReader.Access> accesses = page(null, 50);
    assertThat(accesses).hasSize(1);
    AuditLogReader.Access a = accesses.get(0);
    assertThat(a.count()).isEqualTo(250);
    assertThat(a.who()).isEqualTo("Ana Costa");
    assertThat(a.studyUids()).containsExactly("1.2.3.100");
    assertThat(a.first()).isBeforeOrEqualTo(a.last());
    assertThat(a.day()).isEqualTo(a.last().atZone(LISBON).toLocalDate());
    assertThat(a.emergency()).isFalse();
  }

  @Test
  void aRegionGivenAsAFixedOffsetCountsItsDaysEastOfGreenwich() throws Exception {
    append(row("ana.clinic", "Ana Costa", "1.2.3.101", "treatment"), 1);
    // 28 hours apart: read the POSIX way (east and west swapped), +14:00 is never the same day
    for (ZoneId zone :
        List.of(ZoneId.of("+14:00"), ZoneId.of("-12:00"), ZoneId.of("UTC+05:30"), ZoneId.of("Z"))) {
      AuditLogReader.Access a =
          reader.aboutPatient(patient, List.of(), "subject-of-" + patient, zone, null, 50).get(0);
      assertThat(a.day()).as("%s", zone).isEqualTo(a.last().atZone(zone).toLocalDate());
    }
  }

  @Test
  void twoCliniciansAreTwoAccessesEvenWithTheSameName() throws Exception {
    append(row("ana.clinic", "Ana Costa", "1.2.3.100", "treatment"), 3);
    append(row("bruno.hospa", "Bruno Almeida", "1.2.3.100", "treatment"), 2);
    // another person who happens to share Ana's name is not folded into her
    append(row("ana.other", "Ana Costa", "1.2.3.100", "treatment"), 1);
    List<AuditLogReader.Access> accesses = page(null, 50);
    assertThat(accesses)
        .extracting(AuditLogReader.Access::username, AuditLogReader.Access::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ana.other", 1L),
            org.assertj.core.groups.Tuple.tuple("bruno.hospa", 2L),
            org.assertj.core.groups.Tuple.tuple("ana.clinic", 3L));
  }

  @Test
  void anEmergencyAccessAndARefusalStandApartFromTheSameCliniciansCare() throws Exception {
    append(row("ana.clinic", "Ana Costa", "1.2.3.100", "treatment"), 5);
    AuditRecordEntity refused = row("ana.clinic", "Ana Costa", "1.2.3.100", "treatment");
    refused.outcome = "denied";
    append(refused, 1);
    append(row("ana.clinic", "Ana Costa", "1.2.3.100", "emergency"), 4);
    List<AuditLogReader.Access> accesses = page(null, 50);
    assertThat(accesses).hasSize(3);
    assertThat(accesses.get(0).emergency()).isTrue();
    assertThat(accesses.get(0).count()).isEqualTo(4);
    assertThat(accesses.get(1).outcome()).isEqualTo("denied");
    assertThat(accesses.get(1).count()).isEqualTo(1);
    assertThat(accesses.get(2).count()).isEqualTo(5);
    assertThat(accesses.get(2).emergency()).isFalse();
  }

  @Test
  void pagesHoldAtMostTheLimitAndNeverShowAGroupTwice() throws Exception {
    // study 0's group has a record before and after the others: its newest record puts it on the
    // first page, and its older record must not bring it back on a later one
    append(row("ana.clinic", null, "1.2.3.0", "treatment"), 1);
    for (int i = 1; i <= 6; i++) {
      append(row("ana.clinic", null, "1.2.3." + i, "treatment"), 2);
    }
    append(row("ana.clinic", null, "1.2.3.0", "treatment"), 1);
    Set<String> seen = new HashSet<>();
    List<Integer> sizes = new ArrayList<>();
    Long before = null;
    long total = 0;
    while (true) {
      List<AuditLogReader.Access> page = page(before, 3);
      if (page.isEmpty()) {
        break;
      }
      sizes.add(page.size());
      for (AuditLogReader.Access a : page) {
        assertThat(seen.add(a.studyUids().get(0))).as("shown once: " + a.studyUids()).isTrue();
        total += a.count();
      }
      before = page.get(page.size() - 1).lastSeq();
    }
    assertThat(sizes).containsExactly(3, 3, 1);
    assertThat(total).isEqualTo(14);
    assertThat(seen).hasSize(7);
  }

  @Test
  void showsOnlyThisPersonsRecordsAndNotWhatTheyDidThemselves() throws Exception {
    append(row("ana.clinic", "Ana Costa", "1.2.3.100", "treatment"), 2);
    String mine = patient;
    patient = "REG-LOG-other-" + UUID.randomUUID();
    append(row("ana.clinic", "Ana Costa", "1.2.3.200", "treatment"), 3);
    // the patient's own visit to the portal: her subject
    AuditRecordEntity own = row(mine, "Maria", "1.2.3.100", "patient-request");
    own.regionalIds = mine;
    writer.append(own);
    patient = mine;
    List<AuditLogReader.Access> accesses = page(null, 50);
    assertThat(accesses).hasSize(1);
    assertThat(accesses.get(0).studyUids()).containsExactly("1.2.3.100");
    assertThat(accesses.get(0).count()).isEqualTo(2);
  }

  @Test
  void aRecordWrittenBeforeNamesWereKeptShowsTheUsername() throws Exception {
    append(row("carla.hospb", null, "1.2.3.100", "treatment"), 1);
    assertThat(page(null, 50).get(0).who()).isEqualTo("carla.hospb");
  }
}
