package io.ponte.node.dicomweb;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.WadoInstance;
import io.ponte.node.storage.ArchiveRestorer;
import io.ponte.node.storage.InstanceReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link InstanceBytes} over node storage: whole instances and ranges through {@link
 * InstanceReader} (cache, else Blob), which also records accesses.
 */
@ApplicationScoped
public class StoredInstanceBytes implements InstanceBytes {

  @Inject InstanceReader reader;

  @Inject ArchiveRestorer restorer;

  @Override
  public Optional<Instant> restore(String study, List<WadoInstance> instances) throws IOException {
    try {
      return restorer.restore(study, instances);
    } catch (SQLException e) {
      throw new IOException("the index is unavailable", e);
    }
  }

  @Override
  public InputStream open(InstanceLocation location) throws IOException {
    return reader.open(location).content();
  }

  @Override
  public void recordAccess(String study, String series, String sop) {
    reader.recordAccess(study, series, sop);
  }

  @Override
  public InputStream openRange(InstanceLocation location, long offset, long length)
      throws IOException {
    return reader.openRange(location, offset, length);
  }
}
