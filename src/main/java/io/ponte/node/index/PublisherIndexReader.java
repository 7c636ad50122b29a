package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the index for the publisher, on a connection the caller's transaction owns, so that the
 * snapshot and the outbox row built from it commit together. The one statement here that names the
 * publisher's table reads its {@code built_for_received_at} only: the outbox is keyed by (and
 * cascades from) the study row, and the join keeps "which studies changed since their last build"
 * one indexed query instead of a page-by-page comparison in Java.
 */
@ApplicationScoped
public class PublisherIndexReader {

  /** A study to (re)build, and when its latest instance arrived. */
  public record Candidate(String studyInstanceUid, Instant lastReceivedAt) {}

  /**
   * Studies quiet since {@code quietBefore} whose latest instance arrived after their outbox row
   * was built (or that have none): the ones to (re)build, oldest first. With {@code receivedAfter},
   * only studies received after it (the enqueuer's horizon), so that a run does not re-examine
   * every study ever received.
   */
  public List<Candidate> studiesToBuild(
      Connection c, Instant receivedAfter, Instant quietBefore, int limit) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                select s.study_instance_uid, s.last_received_at from study s
                left join publication_outbox o on o.study_instance_uid = s.study_instance_uid
                where s.last_received_at <= ? and s.last_received_at > ?
                  and (o.study_instance_uid is null or o.built_for_received_at < s.last_received_at)
                order by s.last_received_at
                limit ?
                """)) {
      st.setTimestamp(1, Timestamp.from(quietBefore));
      st.setTimestamp(2, Timestamp.from(receivedAfter == null ? Instant.EPOCH : receivedAfter));
      st.setInt(3, limit);
      List<Candidate> candidates = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          candidates.add(new Candidate(rs.getString(1), rs.getTimestamp(2).toInstant()));
        }
      }
      return candidates;
    }
  }

  /**
   * The study, its series and instances, if it is still quiet since {@code quietBefore}. The study
   * row is share-locked until the caller commits: every ingest transaction updates that row (its
   * last_received_at) just before it commits, so no instance of the study can commit between this
   * read and the outbox write; one that does so after it moves last_received_at past what this
   * snapshot was built for, and the study is built again. A study whose row an ingest holds right
   * now is skipped, not waited for.
   */
  public Optional<StudySnapshot> lockQuietStudy(Connection c, String studyUid, Instant quietBefore)
      throws SQLException {
    StudySnapshot study;
    try (PreparedStatement st =
        c.prepareStatement(
            """
                select patient_id, issuer_of_patient_id, patient_name, patient_birth_date, patient_sex, study_date,
                       study_time, accession_number, study_id, study_description, referring_physician_name,
                       last_received_at
                from study where study_instance_uid = ? and last_received_at <= ?
                for share skip locked
                """)) {
      st.setString(1, studyUid);
      st.setTimestamp(2, Timestamp.from(quietBefore));
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        study =
            new StudySnapshot(
                studyUid,
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getTimestamp(12).toInstant(),
                List.of());
      }
    }
    record SeriesRow(
        String modality,
        Integer number,
        String description,
        String bodyPart,
        List<StudySnapshot.Instance> instances) {}
    Map<String, SeriesRow> series = new LinkedHashMap<>();
    try (PreparedStatement st =
        c.prepareStatement(
            """
                select se.series_instance_uid, se.modality, se.series_number, se.series_description,
                       se.body_part_examined, i.sop_instance_uid, i.sop_class_uid, i.instance_number
                from instance i join series se on se.series_instance_uid = i.series_instance_uid
                where i.study_instance_uid = ?
                order by i.sop_instance_uid
                """)) {
      st.setString(1, studyUid);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String seriesUid = rs.getString(1);
          SeriesRow row = series.get(seriesUid);
          if (row == null) {
            row =
                new SeriesRow(
                    rs.getString(2),
                    Columns.integer(rs, 3),
                    rs.getString(4),
                    rs.getString(5),
                    new ArrayList<>());
            series.put(seriesUid, row);
          }
          row.instances()
              .add(
                  new StudySnapshot.Instance(
                      rs.getString(6), rs.getString(7), Columns.integer(rs, 8)));
        }
      }
    }
    List<StudySnapshot.Series> list =
        series.entrySet().stream()
            .map(
                e ->
                    new StudySnapshot.Series(
                        e.getKey(),
                        e.getValue().modality(),
                        e.getValue().number(),
                        e.getValue().description(),
                        e.getValue().bodyPart(),
                        e.getValue().instances()))
            .toList();
    return Optional.of(
        new StudySnapshot(
            study.studyInstanceUid(),
            study.patientId(),
            study.issuerOfPatientId(),
            study.patientName(),
            study.patientBirthDate(),
            study.patientSex(),
            study.studyDate(),
            study.studyTime(),
            study.accessionNumber(),
            study.studyId(),
            study.studyDescription(),
            study.referringPhysicianName(),
            study.lastReceivedAt(),
            list));
  }
}
