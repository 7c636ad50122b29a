package io.ponte.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A patient's view of one audit record: her entities, nobody else's, and no one else's words. */
class PatientViewTest {

  final PatientView view =
      new PatientView("REG-1", Set.of("p1", "p2"), "her-subject", Set.of("1.2.3"));

  static AuditRecordEntity record(String subject, String action) {
    AuditRecordEntity r = new AuditRecordEntity();
    r.subject = subject;
    r.action = action;
    r.patientIds = "p1,other,p2";
    r.regionalIds = "REG-2,REG-1";
    r.studyUids = "9.9.9,1.2.3";
    r.patientIdentifiers = "urn:mrn|A1,urn:mrn|B2";
    r.query = "name=Other&birthdate=1970-01-01";
    r.detail = "linked under REG-2";
    r.clientAddress = "10.1.2.3";
    r.tokenId = "token-1";
    r.instanceCount = 240;
    return r;
  }

  @Test
  void anIdentityReviewOfHerAndAnotherShowsOnlyHer() {
    AuditRecordEntity r = record("authority-subject", "identity-link");
    view.restrict(r);
    assertThat(r.patientIds).isEqualTo("p1,p2");
    assertThat(r.regionalIds).isEqualTo("REG-1");
    assertThat(r.studyUids).isEqualTo("1.2.3");
    assertThat(r.patientIdentifiers).isNull();
    assertThat(r.query).isNull();
    assertThat(r.detail).isNull();
    assertThat(r.clientAddress).isNull();
    assertThat(r.tokenId).isNull();
    assertThat(r.instanceCount).as("counted over another's study too").isNull();
    assertThat(r.subject).isEqualTo("authority-subject");
  }

  @Test
  void aRecordOfHerStudiesOnlyKeepsItsInstanceCount() {
    AuditRecordEntity r = record("clinician", "read");
    r.studyUids = "1.2.3";
    view.restrict(r);
    assertThat(r.instanceCount).isEqualTo(240);
  }

  @Test
  void aRecordNamingNothingOfHersKeepsNoEntity() {
    AuditRecordEntity r = record("x", "search");
    r.patientIds = "other";
    r.regionalIds = "REG-2";
    r.studyUids = "9.9.9";
    view.restrict(r);
    assertThat(List.of(String.valueOf(r.patientIds), String.valueOf(r.regionalIds)))
        .containsOnly("null");
    assertThat(r.studyUids).isNull();
  }

  @Test
  void herOwnSearchKeepsItsQueryAndAnExportItsDestination() {
    AuditRecordEntity own = record("her-subject", "search");
    view.restrict(own);
    assertThat(own.query).isEqualTo("name=Other&birthdate=1970-01-01");
    assertThat(own.clientAddress).isEqualTo("10.1.2.3");
    AuditRecordEntity export = record("clinician", "export");
    export.detail = "send 1: 3 instances to PACS NORTE, queued";
    view.restrict(export);
    assertThat(export.detail).contains("PACS NORTE");
    assertThat(export.query).isNull();
  }
}
