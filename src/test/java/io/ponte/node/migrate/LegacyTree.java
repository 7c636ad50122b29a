package io.ponte.node.migrate;

import io.ponte.testing.DicomTestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A legacy archive as hospitals have them, generated: Part 10 files under arbitrary names, a bare
 * implicit VR data set without file meta, a DICOMDIR under another name, a text file, a truncated
 * instance, and byte-identical copies of instances already in the tree.
 */
final class LegacyTree {

  /** SOP Instance UIDs that must end up in the node. */
  final List<String> good = new ArrayList<>();

  final String study = DicomTestFiles.newUid();

  static final int SEEN = 9;
  static final int MIGRATED = 4;
  static final int DUPLICATES = 2;
  static final int DICOMDIRS = 1;
  static final int UNREADABLE = 2;

  LegacyTree(Path root, Path scratch) throws IOException {
    String series = DicomTestFiles.newUid();
    Path a = root.resolve("2009/CT/a");
    Files.createDirectories(a);
    for (int i = 0; i < 3; i++) {
      String sop = DicomTestFiles.newUid();
      Path made = DicomTestFiles.ct(scratch, study, series, sop, 20_000 + i * 1000, i);
      // Old archives name files anything: no extension at all here.
      Files.move(made, a.resolve("IM" + i));
      good.add(sop);
    }
    // A byte-identical copy elsewhere in the tree: a duplicate.
    Path copies = root.resolve("copies");
    Files.createDirectories(copies);
    Files.copy(a.resolve("IM0"), copies.resolve("IM0 copy.dcm"));

    // A bare implicit VR little endian data set: no preamble, no DICM, no meta.
    String bareSop = DicomTestFiles.newUid();
    Path part10 = DicomTestFiles.ct(scratch, study, series, bareSop, 30_000, 7);
    Path bare = root.resolve("2009/CT/old/00000001");
    Files.createDirectories(bare.getParent());
    DicomTestFiles.run("dcmconv", "+ti", "-F", part10.toString(), bare.toString());
    Files.copy(bare, copies.resolve("00000001"));
    good.add(bareSop);

    // A DICOMDIR, under a name that does not say so (read from its meta).
    Path media = scratch.resolve("media");
    Files.createDirectories(media);
    Files.copy(part10, media.resolve("IMG00001"));
    DicomTestFiles.run(
        "dcmmkdir",
        "+r",
        "+I",
        "+id",
        media.toString(),
        "+D",
        media.resolve("DICOMDIR").toString());
    Files.copy(media.resolve("DICOMDIR"), root.resolve("copies/DIR.OLD"));

    Files.writeString(root.resolve("README.txt"), "scanned by the old PACS in 2009\n");

    String truncatedSop = DicomTestFiles.newUid();
    Path whole = DicomTestFiles.ct(scratch, study, series, truncatedSop, 40_000, 9);
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(root.resolve("2009/CT/a/IM9"), Arrays.copyOf(bytes, bytes.length - 10_000));
  }
}
