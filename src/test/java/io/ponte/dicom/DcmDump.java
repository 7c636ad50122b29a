package io.ponte.dicom;

import io.ponte.testing.Dcmtk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dcmtk's reading of a file, parsed from {@code dcmdump -q +L -Un +Qn [+U8]} output into a tree:
 * the independent reference our reader is compared with.
 */
final class DcmDump {

  /** One printed element; {@code items} for SQ, {@code fragments} for a pixel sequence. */
  static final class Node {
    final int tag;
    final String vr;
    final String value;
    final String length;
    final List<List<Node>> items = new ArrayList<>();
    final List<Node> fragments = new ArrayList<>();
    final int line;

    Node(int tag, String vr, String value, String length, int line) {
      this.tag = tag;
      this.vr = vr;
      this.value = value;
      this.length = length;
      this.line = line;
    }

    boolean isSequence() {
      return vr.equals("SQ") || value.startsWith("(Sequence with");
    }

    boolean isPixelSequence() {
      return value.startsWith("(PixelSequence");
    }

    boolean noValue() {
      return value.equals("(no value available)");
    }

    @Override
    public String toString() {
      return Tag.toString(tag)
          + " "
          + vr
          + " "
          + (value.length() > 60 ? value.substring(0, 60) + "..." : value);
    }
  }

  private static final Pattern LINE =
      Pattern.compile(
          "^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) (.*?) *# *(u/l|\\d+), *(\\d+) (.*)$");

  final List<Node> meta = new ArrayList<>();
  final List<Node> dataset = new ArrayList<>();
  final boolean utf8;

  DcmDump(boolean utf8) {
    this.utf8 = utf8;
  }

  /**
   * Runs dcmdump (UTF-8 conversion when possible) and parses its output; null when dcmdump rejects
   * the file.
   */
  static DcmDump of(Path file, boolean utf8) throws IOException {
    Dcmtk.Result r = Dcmtk.run(DcmDump.dcmdumpArgs(file.toString(), utf8).toArray(String[]::new));
    if (r.exitCode() != 0 && utf8) {
      return of(file, false);
    }
    if (r.exitCode() != 0) {
      return null;
    }
    DcmDump d = new DcmDump(utf8);
    d.parse(r.out());
    return d;
  }

  /**
   * dcmdump's arguments for a file: long values, no uid names, unquoted, optionally converted to
   * UTF-8.
   */
  static List<String> dcmdumpArgs(String file, boolean utf8) {
    List<String> args = new ArrayList<>(List.of("dcmdump", "-q", "+L", "-Un", "+Qn"));
    if (utf8) {
      args.add("+U8");
    }
    args.add(file);
    return args;
  }

  void parse(String out) {
    // owners.get(k) owns the lines printed at depth k+1: a sequence at depth d owns its item lines
    // (depth d+1) and the elements inside them (depth d+2).
    List<Node> owners = new ArrayList<>();
    String[] lines = out.split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException("unparsed dcmdump line " + (n + 1) + ": " + line);
      }
      int depth = m.group(1).length() / 2;
      int tag = (int) Long.parseLong(m.group(2) + m.group(3), 16);
      Node node = new Node(tag, m.group(4), m.group(5), m.group(6), n + 1);
      if (tag == Tag.ItemDelimitationItem || tag == Tag.SequenceDelimitationItem) {
        continue;
      }
      if (depth == 0) {
        (Tag.group(tag) == 0x0002 && dataset.isEmpty() ? meta : dataset).add(node);
      } else {
        Node owner = depth <= owners.size() ? owners.get(depth - 1) : null;
        if (owner == null) {
          throw new IllegalStateException("orphan line " + (n + 1) + ": " + line);
        }
        if (tag == Tag.Item) {
          if (owner.isPixelSequence()) {
            owner.fragments.add(node);
          } else {
            owner.items.add(new ArrayList<>());
          }
          continue;
        }
        if (owner.items.isEmpty()) {
          throw new IllegalStateException(
              "element outside an item at line " + (n + 1) + ": " + line);
        }
        owner.items.get(owner.items.size() - 1).add(node);
      }
      if (node.isSequence() || node.isPixelSequence()) {
        // Items of this node are printed one level deeper, their elements two levels deeper.
        while (owners.size() > depth) {
          owners.remove(owners.size() - 1);
        }
        while (owners.size() < depth) {
          owners.add(null);
        }
        owners.add(node);
        owners.add(node);
      }
    }
  }

  /** The bytes of a value dcmtk printed in hex (OB/UN/"??"). */
  static byte[] hexBytes(Node n) {
    if (n.noValue()) {
      return new byte[0];
    }
    String[] parts = n.value.split("\\\\");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return b;
  }

  /**
   * dcmtk's reading of bytes it could only show as UN, as an implicit VR LE sequence: they are put
   * under a tag the dictionary knows as SQ, (0008,1140), in an implicit VR file, and dumped. Null
   * if dcmtk fails.
   */
  static List<List<Node>> itemsOfImplicitSequence(byte[] value, String charset, boolean utf8)
      throws IOException {
    Path f = java.nio.file.Files.createTempFile("ponte-sq", ".dcm");
    try {
      Bytes b = Bytes.part10(UID.ImplicitVRLittleEndian);
      if (!charset.isEmpty()) {
        String cs = charset.length() % 2 == 0 ? charset : charset + " ";
        b.tag(Tag.SpecificCharacterSet).u32(cs.length()).ascii(cs);
      }
      b.tag(Tag.ReferencedImageSequence).u32(value.length).raw(value);
      java.nio.file.Files.write(f, b.toArray());
      DcmDump d = of(f, utf8 && !charset.isEmpty());
      if (d == null) {
        return null;
      }
      List<Node> top =
          d.dataset.stream().filter(n -> n.tag == Tag.ReferencedImageSequence).toList();
      return top.size() != 1 ? null : top.get(0).items;
    } finally {
      java.nio.file.Files.deleteIfExists(f);
    }
  }

  /** The text of a string value as dcmtk decoded it: brackets removed, +Qn XML quoting undone. */
  static String text(Node n, boolean utf8) {
    if (n.noValue()) {
      return "";
    }
    String v = n.value;
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '&') {
        int semi = v.indexOf(';', i);
        if (semi > i) {
          String ent = v.substring(i + 1, semi);
          int b = -1;
          if (ent.startsWith("#")) {
            b = Integer.parseInt(ent.substring(1));
          } else if (ent.equals("amp")) {
            b = '&';
          } else if (ent.equals("lt")) {
            b = '<';
          } else if (ent.equals("gt")) {
            b = '>';
          } else if (ent.equals("quot")) {
            b = '"';
          } else if (ent.equals("apos")) {
            b = '\'';
          }
          if (b >= 0) {
            bytes.write(b);
            i = semi;
            continue;
          }
        }
      }
      byte[] cb = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      bytes.write(cb, 0, cb.length);
    }
    return new String(
        bytes.toByteArray(), utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }
}
