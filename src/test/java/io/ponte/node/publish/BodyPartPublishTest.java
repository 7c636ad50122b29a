package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.node.index.PublisherIndexReader;
import io.ponte.node.index.StudySnapshot;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Body Part Examined (0018,0015) from a real instance to the ImagingStudy a node publishes: a demo
 * study (the bring-up's own generator, the MR of Maria's left knee) is stored through the node's
 * InstanceStore, indexed on its series rows at ingest, read back by the publisher's index reader
 * and built; every series names the knee in series.bodySite. A study whose instances carry no body
 * part publishes none rather than an empty one; a series whose instances disagree keeps the least
 * of their values (db/node V150), whichever arrived first.
 */
@QuarkusTest
@TestProfile(PublisherTestProfile.class)
class BodyPartPublishTest {

  static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "body-part-test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject PublisherIndexReader reader;

  @Inject TestIngest ingest;

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  final ImagingStudyBuilder builder =
      new ImagingStudyBuilder(
          "hospital-a",
          ImagingStudyBuilder.defaultPatientIdentifierSystem("hospital-a"),
          ZoneId.of("Europe/Lisbon"));

  @TempDir Path dir;

  @Test
  void aDemoStudysBodyPartReachesEverySeriesBodySite() throws Exception {
    DemoCatalogue.Study knee =
        DemoCatalogue.STUDIES.stream()
            .filter(s -> s.key().equals("maria-a-mr-2022"))
            .findFirst()
            .orElseThrow();
    for (Path file : SampleStudyWriter.write(knee, dir, 16)) {
      try (InputStream in = Files.newInputStream(file)) {
        store.storePart10(SOURCE, in);
      }
    }

    ImagingStudy study = built(SampleStudyWriter.uid(knee.key()));

    assertThat(study.getSeries()).hasSize(knee.series());
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      assertThat(indexedBodyPart(series.getUid())).as(series.getUid()).isEqualTo("KNEE");
      assertThat(series.hasBodySite()).as(series.getUid()).isTrue();
      assertThat(series.getBodySite().getSystem()).isEqualTo("http://snomed.info/sct");
      assertThat(series.getBodySite().getCode()).isEqualTo("72696002");
      assertThat(series.getBodySite().getDisplay()).isEqualTo("Knee");
    }
  }

  @Test
  void aStudyWithoutBodyPartHasNoBodySite() throws Exception {
    String uid = DicomTestFiles.newUid();
    ingest.instance(uid, uid + ".1", uid + ".1.1", "MRN-BP", 1);

    ImagingStudy study = built(uid);

    assertThat(study.getSeries()).hasSize(1);
    assertThat(indexedBodyPart(uid + ".1")).isNull();
    assertThat(study.getSeriesFirstRep().hasBodySite()).isFalse();
  }

  @Test
  void aSeriesWhoseInstancesDisagreeKeepsTheLeastBodyPartWhateverArrivedFirst() throws Exception {
    String uid = DicomTestFiles.newUid();
    String series = uid + ".1";
    storeCt(uid, series, series + ".1", null);
    assertThat(indexedBodyPart(series)).isNull();
    storeCt(uid, series, series + ".2", "KNEE");
    assertThat(indexedBodyPart(series)).isEqualTo("KNEE");
    storeCt(uid, series, series + ".3", "CHEST");
    assertThat(indexedBodyPart(series)).isEqualTo("CHEST");
    storeCt(uid, series, series + ".4", "KNEE");
    assertThat(indexedBodyPart(series)).isEqualTo("CHEST");

    ImagingStudy study = built(uid);

    assertThat(study.getSeriesFirstRep().getBodySite().getCode()).isEqualTo("43799004");
    assertThat(study.getSeriesFirstRep().getBodySite().getDisplay()).isEqualTo("Chest");
  }

  private void storeCt(String study, String series, String sop, String bodyPart) throws Exception {
    Path file = DicomTestFiles.ct(dir, study, series, sop, 512, 1);
    if (bodyPart != null) {
      DicomTestFiles.run("dcmodify", "-nb", "-i", "(0018,0015)=" + bodyPart, file.toString());
    }
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(SOURCE, in);
    }
  }

  /** The series row's indexed Body Part Examined, as ingest left it. */
  private String indexedBodyPart(String seriesUid) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select body_part_examined from series where series_instance_uid = ?")) {
      st.setString(1, seriesUid);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("series " + seriesUid + " indexed").isTrue();
        return rs.getString(1);
      }
    }
  }

  private ImagingStudy built(String uid) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      StudySnapshot snapshot =
          reader.lockQuietStudy(c, uid, Instant.now().plusSeconds(60)).orElseThrow();
      assertThat(snapshot.series()).isNotEmpty();
      return builder.build(snapshot);
    }
  }
}
