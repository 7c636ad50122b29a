package io.ponte.dicom.net;

import io.ponte.dicom.DicomOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Test fake for the store side: streams each received data set to a file in a temp dir (never whole
 * in memory), records its SHA-256, and answers the status a test chose (success by default).
 */
final class RecordingStoreHandler implements StoreHandler {

  /** {@code part10} is the received data set behind file meta information written by the codec. */
  record Received(StoreRequest request, Path part10, String sha256, long size) {}

  private final Path dir;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<StoreRequest, DimseStatus> answer = r -> DimseStatus.OK;

  RecordingStoreHandler(Path dir) {
    this.dir = dir;
  }

  void answer(Function<StoreRequest, DimseStatus> answer) {
    this.answer = answer;
  }

  List<Received> received() {
    return received;
  }

  Received bySopInstance(String uid) {
    return received.stream()
        .filter(r -> r.request().sopInstanceUid().equals(uid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not received: " + uid + "; got " + received));
  }

  @Override
  public DimseStatus store(StoreRequest request, InputStream dataset) throws Exception {
    Path file = Files.createTempFile(dir, "instance", ".dcm");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long size;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      DicomOutputStream meta = new DicomOutputStream(out);
      meta.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(
              request.sopClassUid(), request.sopInstanceUid(), request.transferSyntaxUid()));
      meta.flush();
      size = dataset.transferTo(new DigestOutputStream(out, sha));
    }
    received.add(new Received(request, file, HexFormat.of().formatHex(sha.digest()), size));
    return answer.apply(request);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String sha256(Path p) throws IOException {
    try {
      return sha256(Files.readAllBytes(p));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
