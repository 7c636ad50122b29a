package io.ponte.node.dicomweb;

import io.agroal.api.AgroalDataSource;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What WADO-RS needs from the node's index: the instances of a study/series/instance, and their
 * metadata.
 */
@ApplicationScoped
public class WadoIndex {

  private static final String ORDER =
      " order by i.series_instance_uid, i.instance_number nulls last, i.sop_instance_uid";

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject NodeDicomwebConfig config;

  /** The instances addressed by the path (series and sop may be null); 404 when there are none. */
  public List<StoredInstanceRef> instances(String study, String series, String sop) {
    Where where = where(study, series, sop);
    List<StoredInstanceRef> found = new ArrayList<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select i.study_instance_uid, i.series_instance_uid,"
                    + " i.sop_instance_uid, i.transfer_syntax_uid, i.size_bytes, i.rows_, i.number_of_frames"
                    + " from instance i where "
                    + where.sql
                    + ORDER)) {
      where.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(
              new StoredInstanceRef(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  (Integer) rs.getObject(6),
                  (Integer) rs.getObject(7)));
        }
      }
    } catch (SQLException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the node's index is unavailable", java.util.Map.of(), e);
    }
    if (found.isEmpty()) {
      throw notFound(study, series, sop);
    }
    return found;
  }

  /**
   * Streams the stored DICOM JSON of the addressed instances as one array, adding a BulkDataURI for
   * the pixel data of uncompressed images (their frames, served by this node); the hub rewrites it
   * to itself.
   */
  public void writeMetadata(
      String study, String series, String sop, String baseUrl, OutputStream out)
      throws IOException {
    Where where = where(study, series, sop);
    try (Connection c = dataSource.get().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "select i.metadata::text, i.study_instance_uid,"
                  + " i.series_instance_uid, i.sop_instance_uid, i.rows_, i.number_of_frames, i.transfer_syntax_uid"
                  + " from instance i where "
                  + where.sql
                  + ORDER)) {
        where.bind(ps);
        ps.setFetchSize(config.fetchSize());
        try (ResultSet rs = ps.executeQuery()) {
          Writer w =
              new java.io.BufferedWriter(
                  new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
          w.write('[');
          boolean first = true;
          while (rs.next()) {
            if (!first) {
              w.write(',');
            }
            first = false;
            String json = rs.getString(1).trim();
            String pixelUri =
                rs.getObject(5) == null || !FrameLayout.isNative(rs.getString(7))
                    ? null
                    : baseUrl
                        + "/dicomweb/studies/"
                        + rs.getString(2)
                        + "/series/"
                        + rs.getString(3)
                        + "/instances/"
                        + rs.getString(4)
                        + "/frames/"
                        + frameList(rs.getObject(6) == null ? 1 : rs.getInt(6));
            if (pixelUri == null || json.contains("\"7FE00010\"")) {
              w.write(json);
            } else {
              // Pixel Data has the highest standard tag, so appending keeps tag order.
              w.write(json, 0, json.length() - 1);
              w.write(json.length() > 2 ? "," : "");
              w.write("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"" + pixelUri + "\"}}");
            }
          }
          w.write(']');
          w.flush();
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException("metadata query failed", e);
    }
  }

  /**
   * 404 unless the path names something the node holds; checked before a metadata response starts.
   */
  public void requireExists(String study, String series, String sop) {
    Where where = where(study, series, sop);
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from instance i where " + where.sql + " limit 1")) {
      where.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw notFound(study, series, sop);
        }
      }
    } catch (SQLException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the node's index is unavailable", java.util.Map.of(), e);
    }
  }

  private static String frameList(int frames) {
    StringBuilder b = new StringBuilder();
    for (int f = 1; f <= Math.max(frames, 1); f++) {
      b.append(f == 1 ? "" : ",").append(f);
    }
    return b.toString();
  }

  private static ProblemException notFound(String study, String series, String sop) {
    String what =
        sop != null ? "instance " + sop : series != null ? "series " + series : "study " + study;
    return new ProblemException(ErrorCode.NOT_FOUND, "this node holds no " + what);
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
