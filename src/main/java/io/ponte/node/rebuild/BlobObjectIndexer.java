package io.ponte.node.rebuild;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.node.index.IndexedInstance;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.ReplicaPackIndex;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceHeader;
import io.ponte.node.storage.InstanceMetadata;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.RetentionDecider;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.VerifiedCopy;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.pack.PackCopy;
import io.ponte.node.storage.pack.PackFormat;
import io.ponte.stream.BlockFilterInputStream;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * One object of the container back into the index: streamed once from Blob, its header (file meta
 * and data set up to Pixel Data) parsed by the codec while the SHA-256 of every byte is computed,
 * checked as ingest checks an instance, and indexed as held in Blob only. An object is unreadable
 * (reported, skipped) when it is not DICOM Part 10, when its bytes differ from the SHA-256 its
 * upload recorded (damaged: indexing it would make the damage look intact), when it is not stored
 * under the name the node gives its SOP Instance UID, or when it is archived (offline until
 * rehydrated).
 */
@ApplicationScoped
class BlobObjectIndexer {

  static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.REBUILD, "ponte node rebuild-index", null);

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject TierIndex tiers;

  @Inject InstanceMetadata metadata;

  @Inject RetentionDecider retention;

  @Inject ReplicaQueue replicas;

  @Inject ReplicaPackIndex replicaPacks;

  Clock clock = Clock.systemUTC();

  ObjectOutcome index(ListedBlob blob) {
    return index(blob, false);
  }

  /**
   * {@code fromReplica}: the object is listed and read from the replica account (the primary was
   * lost), and written back to the primary, proven, before it is indexed; so an object whose copy
   * failed stays unindexed and a rerun copies it again. It is then counted replicated.
   */
  ObjectOutcome index(ListedBlob blob, boolean fromReplica) {
    String name = blob.name();
    if (blob.tier() == BlobTier.ARCHIVE) {
      return ObjectOutcome.unreadable(
          name, "in the Archive tier: rehydrate it to Cool or Hot, then run again");
    }
    BlobStore source = fromReplica ? storage.replicaStore() : storage.blobStore();
    IndexedInstance row;
    try {
      row = read(blob, source);
    } catch (BlobReadException e) {
      return ObjectOutcome.failed(name, "could not be read from Blob: " + e.getMessage());
    } catch (Unreadable e) {
      return ObjectOutcome.unreadable(name, e.getMessage());
    }
    InstanceLocation copied =
        new InstanceLocation(row.sopInstanceUid(), row.size(), row.sha256(), null, name);
    if (fromReplica) {
      try {
        VerifiedCopy.write(source.read(name), storage.blobStore(), copied);
      } catch (IOException | RuntimeException e) {
        return ObjectOutcome.failed(
            name, "could not be copied back to the primary: " + e.getMessage());
      }
    }
    try {
      boolean inserted =
          index.insertHeldInBlob(
              row, blob.createdAt() != null ? blob.createdAt() : clock.instant());
      if (!inserted) {
        return new ObjectOutcome(name, ObjectOutcome.Kind.ALREADY_INDEXED, null);
      }
      if (fromReplica) {
        // Claimed by a worker meanwhile (a node running beside the rebuild): that one settles it.
        replicas.markReplicatedUnclaimed(copied, clock.instant());
      }
      if (blob.tier() != null && blob.tier() != BlobTier.HOT) {
        tiers.markInstances(List.of(row.sopInstanceUid()), blob.tier().name());
      }
      return new ObjectOutcome(name, ObjectOutcome.Kind.INDEXED, null);
    } catch (InstanceIndex.InconsistentHierarchyException e) {
      return ObjectOutcome.unreadable(name, e.getMessage());
    } catch (SQLException e) {
      return ObjectOutcome.failed(name, "the index failed: " + e.getMessage());
    }
  }

  /**
   * The instances of a pack (its name says so) back into the index, each at its range of the pack:
   * the pack's own index (footer, then trailer: two range reads) names them, and each is read (its
   * range only), parsed and checked against the SHA-256 the pack's index records for it, as a
   * single object is. One outcome per instance, named {@code pack#sop}; those indexed already are
   * not read. {@code fromReplica}: the pack is read from the replica and first copied back to the
   * primary whole, proven as the replication copied it ({@link PackCopy}); its instances are then
   * counted replicated in it.
   */
  List<ObjectOutcome> indexPack(ListedBlob blob, boolean fromReplica) {
    String name = blob.name();
    if (blob.tier() == BlobTier.ARCHIVE) {
      return List.of(
          ObjectOutcome.unreadable(
              name, "a pack in the Archive tier: rehydrate it to Cool or Hot, then run again"));
    }
    BlobStore store = fromReplica ? storage.replicaStore() : storage.blobStore();
    PackFormat.Stored stored;
    try {
      stored =
          PackFormat.read(store, name, blob.size() >= 0 ? blob.size() : store.stat(name).size());
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of(ObjectOutcome.failed(name, "gone while it was read"));
    } catch (IOException | RuntimeException e) {
      boolean format = e.getMessage() != null && e.getMessage().startsWith("not a pack");
      return List.of(
          format
              ? ObjectOutcome.unreadable(name, e.getMessage())
              : ObjectOutcome.failed(name, "could not be read from Blob: " + e.getMessage()));
    }
    PackFormat.Index pack = stored.index();
    String dir = name.substring(0, name.lastIndexOf('/') + 1);
    if (!dir.equals(pack.study() + "/" + pack.series() + "/")) {
      return List.of(
          ObjectOutcome.unreadable(
              name, "its index names series " + pack.series() + ", not where the pack is"));
    }
    java.util.Set<String> known;
    try {
      known = index.indexed(pack.entries().stream().map(PackFormat.Entry::sop).toList());
    } catch (SQLException e) {
      return List.of(ObjectOutcome.failed(name, "the index failed: " + e.getMessage()));
    }
    if (fromReplica && known.size() < pack.entries().size()) {
      try {
        PackCopy.copy(store, storage.blobStore(), stored, e -> true);
      } catch (IOException | RuntimeException e) {
        return List.of(
            ObjectOutcome.failed(
                name, "could not be copied back to the primary: " + e.getMessage()));
      }
    }
    List<ObjectOutcome> outcomes = new java.util.ArrayList<>();
    List<String> indexed = new java.util.ArrayList<>();
    for (PackFormat.Entry entry : pack.entries()) {
      String what = name + "#" + entry.sop();
      if (known.contains(entry.sop())) {
        outcomes.add(new ObjectOutcome(what, ObjectOutcome.Kind.ALREADY_INDEXED, null));
        continue;
      }
      ObjectOutcome outcome = indexPacked(blob, entry, dir + entry.sop() + ".dcm", what, store);
      outcomes.add(outcome);
      if (outcome.kind() == ObjectOutcome.Kind.INDEXED) {
        indexed.add(entry.sop());
      }
    }
    if (fromReplica && !indexed.isEmpty()) {
      try {
        replicaPacks.markRebuilt(indexed, name, clock.instant());
      } catch (SQLException e) {
        // Left PENDING: the replication copies the pack again, over the same bytes.
        outcomes.add(ObjectOutcome.failed(name, "not marked replicated: " + e.getMessage()));
      }
    }
    return outcomes;
  }

  private ObjectOutcome indexPacked(
      ListedBlob blob, PackFormat.Entry entry, String ownName, String what, BlobStore store) {
    IndexedInstance row;
    try {
      row =
          read(
              () -> store.read(blob.name(), entry.offset(), entry.length()),
              entry.sha256(),
              ownName,
              blob.createdAt());
    } catch (BlobReadException e) {
      return ObjectOutcome.failed(what, "could not be read from Blob: " + e.getMessage());
    } catch (Unreadable e) {
      return ObjectOutcome.unreadable(what, e.getMessage());
    }
    if (row.size() != entry.length()) {
      return ObjectOutcome.unreadable(what, "its length differs from the pack's index");
    }
    try {
      boolean inserted =
          index.insertHeldInBlob(
              row,
              blob.createdAt() != null ? blob.createdAt() : clock.instant(),
              blob.name(),
              entry.offset());
      if (!inserted) {
        return new ObjectOutcome(what, ObjectOutcome.Kind.ALREADY_INDEXED, null);
      }
      if (blob.tier() != null && blob.tier() != BlobTier.HOT) {
        tiers.markInstances(List.of(row.sopInstanceUid()), blob.tier().name());
      }
      return new ObjectOutcome(what, ObjectOutcome.Kind.INDEXED, null);
    } catch (InstanceIndex.InconsistentHierarchyException e) {
      return ObjectOutcome.unreadable(what, e.getMessage());
    } catch (SQLException e) {
      return ObjectOutcome.failed(what, "the index failed: " + e.getMessage());
    }
  }

  /** Opens the bytes of one instance. */
  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  private IndexedInstance read(ListedBlob blob, BlobStore store)
      throws BlobReadException, Unreadable {
    return read(
        () -> store.read(blob.name()),
        blob.metadata().get("sha256"),
        blob.name(),
        blob.createdAt());
  }

  /**
   * One instance's bytes parsed and digested; {@code recorded}: the SHA-256 its upload (or its
   * pack) recorded, null when none; {@code expectedName}: the name the node gives it as an object
   * of its own.
   */
  private IndexedInstance read(
      Opener opener, String recorded, String expectedName, Instant createdAt)
      throws BlobReadException, Unreadable {
    MessageDigest digest = Sha256.digest();
    Attributes fmi;
    Attributes dataset;
    String transferSyntax;
    int pixelDataTag;
    long size;
    InputStream opened;
    try {
      opened = opener.open();
    } catch (IOException | RuntimeException e) {
      throw new BlobReadException(
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
    boolean part10 = false;
    try (InputStream source = new Guarded(opened);
        CountingDigest in = new CountingDigest(source, digest)) {
      DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(in, 64 * 1024));
      fmi = dicom.readFileMetaInformation();
      part10 = fmi != null;
      if (fmi == null) {
        throw new Unreadable("not a DICOM Part 10 object: no file meta information");
      }
      transferSyntax =
          fmi.getString(Tag.TransferSyntaxUID) != null
              ? fmi.getString(Tag.TransferSyntaxUID)
              : dicom.transferSyntax();
      dataset = dicom.readDatasetUntilPixelData();
      pixelDataTag = dicom.pixelDataTag();
      // The rest (Pixel Data) only through the digest: the header is all the index keeps.
      in.skipToEnd();
      size = in.count();
    } catch (Unreadable e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BlobReadException read) {
          throw read;
        }
      }
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new Unreadable(
          (part10 ? "not readable as DICOM: " : "not a DICOM Part 10 object: ") + why);
    }
    String sha256 = Sha256.hex(digest);
    if (recorded != null && !recorded.equals(sha256)) {
      throw new Unreadable(
          "damaged: its SHA-256 "
              + sha256
              + " differs from the "
              + recorded
              + " recorded when it was uploaded");
    }
    IndexedInstance row;
    try {
      // retention counts from the study date, else from when the object was first stored
      Instant received = createdAt != null ? createdAt : clock.instant();
      row =
          InstanceHeader.indexRow(
              fmi,
              dataset,
              transferSyntax,
              size,
              sha256,
              SOURCE,
              metadata,
              retention.decide(dataset, received),
              pixelDataTag);
    } catch (StoreException e) {
      throw new Unreadable("refused as ingest would refuse it: " + e.getMessage());
    }
    if (!row.blobName().equals(expectedName)) {
      throw new Unreadable(
          "holds SOP Instance "
              + row.sopInstanceUid()
              + ", which this node stores as "
              + row.blobName()
              + ": not an object the node wrote");
    }
    return row;
  }

  /** The object cannot be indexed, for a reason that a rerun will not change. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** Blob failed under the parser: told apart from the parser's own complaints. */
  static final class BlobReadException extends IOException {
    BlobReadException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Marks every failure of the Blob stream as {@link BlobReadException}. */
  private static final class Guarded extends BlockFilterInputStream {
    Guarded(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new BlobReadException(e);
      }
    }
  }

  /** A digest of every byte read, with their count. */
  private static final class CountingDigest extends DigestInputStream {
    private long count;

    CountingDigest(InputStream in, MessageDigest digest) {
      super(in, digest);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    void skipToEnd() throws IOException {
      byte[] buffer = new byte[64 * 1024];
      while (read(buffer, 0, buffer.length) >= 0) {
        // digested on the way
      }
    }

    long count() {
      return count;
    }
  }
}
