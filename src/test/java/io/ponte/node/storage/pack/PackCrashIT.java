package io.ponte.node.storage.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.dicomweb.MultipartParts;
import io.ponte.node.storage.IsolatedNode;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.Tokens;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code ponte node pack} killed with SIGKILL mid-pack, then run again, with real
 * PostgreSQL and Azurite: two series (moved in by {@code ponte migrate}, one blob per instance);
 * the first pack run killed while a pack is journaled; every instance is still readable from Blob
 * where the index says it is; the next run finishes the killed pack's business and packs both
 * series; nothing stray is left in the container (one pack per series, no single blob, no unused
 * pack); and the node, started, serves every instance byte for byte by WADO-RS.
 */
@DisplayName("kill -9 of `ponte node pack` mid-pack, then the same command again")
class PackCrashIT {

  private static final String SITE = "hospital-a";
  private static final IsolatedNode NODE = IsolatedNode.named(SITE, "pack_it");
  private static final int PER_SERIES = 40;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path root;

  @TempDir static Path scratch;

  static String study = DicomTestFiles.newUid();
  static List<String> series = List.of(DicomTestFiles.newUid(), DicomTestFiles.newUid());

  /** SHA-256 by SOP Instance UID, as sent. */
  static final Map<String, String> sha256 = new HashMap<>();

  @BeforeAll
  static void makeTree() throws Exception {
    int n = 0;
    for (String s : series) {
      for (int i = 0; i < PER_SERIES; i++) {
        String sop = DicomTestFiles.newUid();
        Path made = DicomTestFiles.ct(scratch, study, s, sop, 400_000, n);
        Path file = root.resolve("f" + n++);
        Files.move(made, file);
        sha256.put(sop, DicomTestFiles.sha256(file));
      }
    }
  }

  @AfterAll
  static void dropNode() throws SQLException {
    NODE.drop();
  }

  @Test
  void aKilledPackRunLeavesEveryInstanceReadableAndTheNextRunFinishesWithNothingStray()
      throws Exception {
    PonteProcess.Builder.Run migrated =
        node()
            .run(
                Duration.ofMinutes(5),
                "migrate",
                "--site",
                SITE,
                "--from",
                root.toString(),
                // single blobs, for the packing job to pack
                "--pack-instances",
                "0");
    assertThat(migrated.exitCode()).as(migrated.output()).isZero();
    assertThat(NODE.blobNames()).hasSize(2 * PER_SERIES);

    IsolatedNode.killWhen(
        node().launch("node", "pack", "--site", SITE, "--quiet-period", "0s", "--series", "10"),
        () -> journalRows() > 0,
        Duration.ofMinutes(3),
        Duration.ofMillis(5),
        "still packing");
    assertThat(journalRows()).as("killed mid-pack: a pack journaled, unfinished").isEqualTo(1);
    assertEveryInstanceReadableWhereIndexed();

    PonteProcess.Builder.Run second =
        node().run(Duration.ofMinutes(5), "node", "pack", "--site", SITE, "--quiet-period", "0s");
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("unfinished packs of an earlier run finished 1");
    assertThat(journalRows()).isZero();

    Map<String, String[]> rows = instances();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(sha256.keySet());
    Set<String> packs = new HashSet<>();
    for (String[] row : rows.values()) {
      assertThat(row[2]).as("packed").isNotNull();
      packs.add(row[1]);
    }
    assertThat(packs).as("one pack per series").hasSize(2);
    assertThat(NODE.blobNames()).as("nothing stray").containsExactlyInAnyOrderElementsOf(packs);
    assertEveryInstanceReadableWhereIndexed();

    try (PonteProcess node = node().start()) {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(node.baseUrl() + "/dicomweb/studies/" + study))
                  .header("Authorization", "Bearer " + Tokens.client("ponte-hub"))
                  .header(
                      "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      List<String> served =
          MultipartParts.parse(r.headers().firstValue("Content-Type").orElseThrow(), r.body())
              .stream()
              .map(p -> DicomTestFiles.sha256(p.body()))
              .toList();
      assertThat(served).containsExactlyInAnyOrderElementsOf(sha256.values());
    }
  }

  /** Each instance's bytes, read from Blob at its indexed location, match what was sent. */
  private static void assertEveryInstanceReadableWhereIndexed() throws Exception {
    Map<String, String[]> rows = instances();
    assertThat(rows).hasSize(sha256.size());
    for (Map.Entry<String, String[]> row : rows.entrySet()) {
      String[] r = row.getValue();
      try (InputStream in = NODE.open(r[1], r[2], Long.parseLong(r[3]))) {
        assertThat(DicomTestFiles.sha256(in)).as(row.getKey()).isEqualTo(sha256.get(row.getKey()));
      }
    }
  }

  private static PonteProcess.Builder node() {
    return NODE.builder()
        .property("ponte.node.dimse.enabled", "false")
        .property("ponte.node.fixity.enabled", "false")
        .property("ponte.node.storage.pack.enabled", "false")
        .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + FreePorts.next());
  }

  private static long journalRows() {
    return NODE.count("pack_journal");
  }

  /** sha256, blob name, pack offset (null: own blob), size by SOP Instance UID. */
  private static Map<String, String[]> instances() throws SQLException {
    return NODE.instances("sha256", "blob_name", "pack_offset", "size_bytes");
  }
}
