package io.ponte.node.publish;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/** Takes instances into the node index for the publisher tests. */
@ApplicationScoped
public class TestIngest {

    @Inject
    @DataSource("node")
    AgroalDataSource dataSource;

    public void instance(String study, String series, String sop, String patientId, String sopClass, int number)
            throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("""
                    insert into study (study_instance_uid, patient_id, patient_name, study_date, study_time,
                        study_description, created_at, last_received_at) values (?, ?, 'Test^Pat', '20240305', '101500', 'test', ?, ?)
                    on conflict (study_instance_uid) do update set last_received_at = excluded.last_received_at""")) {
                st.setString(1, study);
                st.setString(2, patientId);
                st.setTimestamp(3, now);
                st.setTimestamp(4, now);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    insert into series (series_instance_uid, study_instance_uid, modality, series_number, created_at)
                    values (?, ?, 'CT', 1, ?) on conflict do nothing""")) {
                st.setString(1, series);
                st.setString(2, study);
                st.setTimestamp(3, now);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid, sop_class_uid,
                        transfer_syntax_uid, instance_number, size_bytes, sha256, blob_name, metadata, source_protocol,
                        received_at) values (?, ?, ?, ?, '1.2.840.10008.1.2.1', ?, 1, repeat('0', 64), 'x', '{}', 'STOW_RS', ?)""")) {
                st.setString(1, sop);
                st.setString(2, series);
                st.setString(3, study);
                st.setString(4, sopClass);
                st.setInt(5, number);
                st.setTimestamp(6, now);
                st.executeUpdate();
            }
            c.commit();
        }
    }
}
