package io.ponte.node.dicomweb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Writes rows straight into the node's real index (db/node V1) for QIDO matching tests, where exact
 * control of names, dates and counts matters more than the bytes. Retrieval tests ingest real
 * files.
 */
final class IndexRows {

  private final DataSource ds;

  IndexRows(DataSource ds) {
    this.ds = ds;
  }

  void study(
      String uid,
      String patientId,
      String patientName,
      String date,
      String time,
      String accession,
      String description)
      throws SQLException {
    exec(
        "insert into study (study_instance_uid, patient_id, issuer_of_patient_id, patient_name, patient_birth_date,"
            + " patient_sex, study_date, study_time, accession_number, study_id, study_description,"
            + " referring_physician_name, created_at, last_received_at)"
            + " values (?, ?, 'HOSPA', ?, '19700101', 'F', ?, ?, ?, '1', ?, 'Ref^Doc', now(), now())",
        uid,
        patientId,
        patientName,
        date,
        time,
        accession,
        description);
  }

  void series(String study, String uid, String modality, int number) throws SQLException {
    exec(
        "insert into series (series_instance_uid, study_instance_uid, modality, series_number, series_description,"
            + " created_at) values (?, ?, ?, ?, ?, now())",
        uid,
        study,
        modality,
        number,
        modality + " series");
  }

  void instance(String study, String series, String uid, int number, String metadataJson)
      throws SQLException {
    exec(
        "insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid, sop_class_uid,"
            + " transfer_syntax_uid, instance_number, number_of_frames, rows_, columns_, bits_allocated, size_bytes,"
            + " sha256, cache_path, blob_name, blob_state, metadata, source_protocol, received_at)"
            + " values (?, ?, ?, '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', ?, 1, 64, 64, 16, 8192,"
            + " repeat('0', 64), null, 'test/' || ?, 'UPLOADED', ?::jsonb, 'STOW_RS', now())",
        uid,
        series,
        study,
        number,
        uid,
        metadataJson);
  }

  void deleteStudies(String uidPrefix) throws SQLException {
    exec("delete from instance where study_instance_uid like ?", uidPrefix + "%");
    exec("delete from series where study_instance_uid like ?", uidPrefix + "%");
    exec("delete from study where study_instance_uid like ?", uidPrefix + "%");
  }

  private void exec(String sql, Object... params) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }
}
