package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What WADO-RS needs from the index: the instances a path addresses (a study, a series of it, or
 * one instance; series and sop may be null) with their storage locations, whether there are any,
 * and their stored DICOM JSON metadata, streamed. Always in series, instance number, UID order.
 */
@ApplicationScoped
public class WadoIndexReader {

  private static final String ORDER =
      " order by i.series_instance_uid, i.instance_number nulls last, i.sop_instance_uid";

  /** One instance's stored metadata and what a BulkDataURI for its frames needs. */
  public record MetadataRow(
      String metadataJson,
      String studyUid,
      String seriesUid,
      String sopInstanceUid,
      Integer rows,
      Integer numberOfFrames,
      String transferSyntaxUid,
      // the top-level pixel data element's tag; null when none or indexed before V160
      Integer pixelDataTag) {}

  /** Receives the metadata rows one at a time; may fail writing them. */
  @FunctionalInterface
  public interface MetadataConsumer {
    void accept(MetadataRow row) throws IOException;
  }

  @Inject IndexDatabase db;

  /** The instances addressed, each with where its bytes are; empty when there are none. */
  public List<WadoInstance> instances(String study, String series, String sop) throws SQLException {
    Where where = where(study, series, sop);
    List<WadoInstance> found = new ArrayList<>();
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "select i.study_instance_uid, i.series_instance_uid, i.sop_instance_uid,"
                    + " i.transfer_syntax_uid, i.size_bytes, i.rows_, i.number_of_frames,"
                    + " i.sha256, i.cache_path, i.blob_name, i.access_tier, i.rehydrating_since, i.pack_offset"
                    + " from instance i where "
                    + where.sql
                    + ORDER)) {
      where.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(
              new WadoInstance(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(4),
                  Columns.integer(rs, 6),
                  Columns.integer(rs, 7),
                  new InstanceLocation(
                      rs.getString(3),
                      rs.getLong(5),
                      rs.getString(8),
                      rs.getString(9),
                      rs.getString(10),
                      InstanceLocation.packOffset(rs, 13)),
                  rs.getString(11),
                  rs.getTimestamp(12) == null ? null : rs.getTimestamp(12).toInstant()));
        }
      }
    }
    return found;
  }

  /** Whether the path names anything the node holds. */
  public boolean exists(String study, String series, String sop) throws SQLException {
    Where where = where(study, series, sop);
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from instance i where " + where.sql + " limit 1")) {
      where.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Hands the stored metadata of the addressed instances to {@code rows}, read through a cursor
   * ({@code fetchSize} rows per round trip) so that a large study is never held in memory.
   */
  public void metadata(
      String study, String series, String sop, int fetchSize, MetadataConsumer rows)
      throws SQLException, IOException {
    Where where = where(study, series, sop);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "select i.metadata::text, i.study_instance_uid, i.series_instance_uid,"
                  + " i.sop_instance_uid, i.rows_, i.number_of_frames, i.transfer_syntax_uid,"
                  + " i.pixel_data_tag from instance i where "
                  + where.sql
                  + ORDER)) {
        where.bind(ps);
        ps.setFetchSize(fetchSize);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.accept(
                new MetadataRow(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    Columns.integer(rs, 5),
                    Columns.integer(rs, 6),
                    rs.getString(7),
                    Columns.integer(rs, 8)));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  private record Where(String sql, List<String> params) {
    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < params.size(); i++) {
        ps.setString(i + 1, params.get(i));
      }
    }
  }

  private static Where where(String study, String series, String sop) {
    List<String> params = new ArrayList<>(List.of(study));
    StringBuilder sql = new StringBuilder("i.study_instance_uid = ?");
    if (series != null) {
      sql.append(" and i.series_instance_uid = ?");
      params.add(series);
    }
    if (sop != null) {
      sql.append(" and i.sop_instance_uid = ?");
      params.add(sop);
    }
    return new Where(sql.toString(), params);
  }
}
