package io.ponte.testing;

import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.blob.TierStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/** A Blob store that passes every call on to {@code delegate}: tests override what they watch. */
public abstract class ForwardingBlobStore implements BlobStore {

  protected final BlobStore delegate;

  protected ForwardingBlobStore(BlobStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void writeChecked(String name, InputStream data, long length, Map<String, String> meta)
      throws IOException {
    delegate.writeChecked(name, data, length, meta);
  }

  @Override
  public void write(String name, InputStream data, long length, Map<String, String> metadata)
      throws IOException {
    delegate.write(name, data, length, metadata);
  }

  @Override
  public void write(String name, java.nio.file.Path file, long length, Map<String, String> meta)
      throws IOException {
    delegate.write(name, file, length, meta);
  }

  @Override
  public InputStream read(String name, long offset, long length) throws IOException {
    return delegate.read(name, offset, length);
  }

  @Override
  public Map<String, String> metadata(String name) throws IOException {
    return delegate.metadata(name);
  }

  @Override
  public BlobStat stat(String name) throws IOException {
    return delegate.stat(name);
  }

  @Override
  public void setTier(String name, BlobTier tier) throws IOException {
    delegate.setTier(name, tier);
  }

  @Override
  public TierStatus tier(String name) throws IOException {
    return delegate.tier(name);
  }

  @Override
  public Instant rehydrate(String name, BlobTier target) throws IOException {
    return delegate.rehydrate(name, target);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public Iterable<ListedBlob> list() throws IOException {
    return delegate.list();
  }

  @Override
  public Iterable<ListedBlob> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void ping() throws IOException {
    delegate.ping();
  }
}
