package io.ponte.node.ingest;

import io.ponte.dicom.DicomOutputStream;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoredInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test stand-in for node/storage's InstanceStore, enabled only by {@link DimseNodeTestProfile}:
 * writes each instance as a Part 10 file into a temp dir (temp file, fsync, rename), keeps the
 * SHA-256 of the data set, and follows the contract's duplicate rule (same bytes: success,
 * different bytes: refused, original kept). A test can make the next store fail with a chosen
 * reason.
 */
@Alternative
@ApplicationScoped
public class TempDirInstanceStore implements InstanceStore {

  record Stored(IngestSource source, Path file, String sha256) {}

  private final Path dir;
  private final Map<String, Stored> stored = new ConcurrentHashMap<>();
  private volatile StoreException nextFailure;

  public TempDirInstanceStore() {
    try {
      dir = Files.createTempDirectory("ponte-dimse-store");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void failNext(StoreException e) {
    nextFailure = e;
  }

  Stored get(String sopInstanceUid) {
    return stored.get(sopInstanceUid);
  }

  @Override
  public StoredInstance storeDataset(
      IngestSource source,
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      InputStream dataset)
      throws StoreException {
    StoreException failure = nextFailure;
    if (failure != null) {
      nextFailure = null;
      throw failure;
    }
    try {
      Path tmp = Files.createTempFile(dir, "incoming", ".part");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size;
      try (java.nio.channels.FileChannel channel =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        OutputStream out =
            new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel));
        DicomOutputStream meta = new DicomOutputStream(out);
        meta.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(
                sopClassUid, sopInstanceUid, transferSyntaxUid));
        meta.flush();
        size = dataset.transferTo(new DigestOutputStream(out, sha));
        out.flush();
        channel.force(true);
      }
      String hash = HexFormat.of().formatHex(sha.digest());
      Stored previous = stored.get(sopInstanceUid);
      if (previous != null) {
        Files.delete(tmp);
        if (!previous.sha256().equals(hash)) {
          throw new StoreException(
              StoreException.Reason.CONFLICTING_DUPLICATE,
              "SOP Instance UID already stored with different content");
        }
        return new StoredInstance(
            null, null, sopClassUid, sopInstanceUid, transferSyntaxUid, size, hash, true);
      }
      Path target = dir.resolve(sopInstanceUid + ".dcm");
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      stored.put(sopInstanceUid, new Stored(source, target, hash));
      return new StoredInstance(
          null, null, sopClassUid, sopInstanceUid, transferSyntaxUid, size, hash, false);
    } catch (IOException e) {
      throw new StoreException(StoreException.Reason.OUT_OF_RESOURCES, "write failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // No @Override on the storePart10 variants: node/storage adds the second to the interface, and
  // this
  // stand-in must compile with and without it. DIMSE never calls them.
  public StoredInstance storePart10(IngestSource source, InputStream part10) throws StoreException {
    throw new StoreException(StoreException.Reason.NOT_SUPPORTED, "not used by DIMSE tests");
  }

  public StoredInstance storePart10(
      IngestSource source, InputStream part10, String requiredStudyUid) throws StoreException {
    throw new StoreException(StoreException.Reason.NOT_SUPPORTED, "not used by DIMSE tests");
  }
}
