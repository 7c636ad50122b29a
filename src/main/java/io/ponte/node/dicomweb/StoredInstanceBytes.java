package io.ponte.node.dicomweb;

import io.ponte.node.storage.InstanceIndex;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.NodeStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/**
 * {@link InstanceBytes} over node storage: whole instances through {@link InstanceReader} (cache,
 * else Blob), ranges from the cached file by position or from Blob by range read; the reader also
 * records accesses.
 */
@ApplicationScoped
public class StoredInstanceBytes implements InstanceBytes {

  @Inject InstanceReader reader;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Override
  public InputStream open(String sopInstanceUid) throws IOException {
    return reader
        .open(sopInstanceUid)
        .orElseThrow(() -> new NoSuchFileException(sopInstanceUid))
        .content();
  }

  @Override
  public void recordAccess(String study, String series, String sop) {
    reader.recordAccess(study, series, sop);
  }

  @Override
  public InputStream openRange(String sopInstanceUid, long offset, long length) throws IOException {
    InstanceIndex.Row row;
    try {
      row = index.find(sopInstanceUid).orElseThrow(() -> new NoSuchFileException(sopInstanceUid));
    } catch (SQLException e) {
      throw new IOException("the index is unavailable", e);
    }
    if (row.cachePath() != null) {
      try {
        FileChannel channel =
            FileChannel.open(storage.layout().resolve(row.cachePath()), StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
      } catch (NoSuchFileException e) {
        // evicted since the lookup: Blob has it
      }
    }
    return storage.blobStore().read(row.blobName(), offset, length);
  }

  /** At most {@code limit} bytes of {@code in}. */
  static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
