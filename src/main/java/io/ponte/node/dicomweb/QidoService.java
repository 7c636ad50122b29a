package io.ponte.node.dicomweb;

import io.ponte.node.index.QidoIndexReader;
import io.ponte.node.index.QidoQuery;
import io.ponte.role.PonteConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Runs QIDO-RS searches through the index's QIDO reader. The result is produced while the client
 * reads it: the reader's cursor feeds {@link QidoResultWriter} row by row.
 */
@ApplicationScoped
public class QidoService {

  @Inject QidoIndexReader index;

  @Inject NodeDicomwebConfig config;

  @Inject PonteConfig ponte;

  public StreamingOutput search(QidoQuery query) {
    return out -> {
      QidoResultWriter writer = new QidoResultWriter(query, ponte.publicUrl(), out);
      boolean done = false;
      try {
        index.search(query, config.fetchSize(), writer::write);
        writer.finish();
        done = true;
      } catch (SQLException e) {
        throw new IOException("QIDO-RS query failed", e);
      } finally {
        if (!done) {
          writer.abandon();
        }
      }
    };
  }
}
