package io.ponte.dicom;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code src/main/resources/io/ponte/dicom/dictionary.tsv}, the whole PS3.6 data element
 * registry (retired entries, repeating groups, file meta and command groups included), from the
 * registry as pydicom packages it: {@code pydicom/_dicom_dict.py} of pydicom 3.0.2 (MIT licence),
 * which pydicom generates from the standard's DocBook source. Not part of the build; run by hand
 * when a new edition is wanted:
 *
 * <pre>
 * pip download --no-deps pydicom==3.0.2 &amp;&amp; unzip pydicom-3.0.2-py3-none-any.whl pydicom/_dicom_dict.py
 * java src/test/java/io/ponte/dicom/DictionaryGenerator.java pydicom/_dicom_dict.py \
 *     src/main/resources/io/ponte/dicom/dictionary.tsv
 * </pre>
 *
 * Lines: tag (8 hex digits, {@code x} for a repeating digit), VR (ambiguous ones as {@code US|SS},
 * {@code OB|OW}, ...; {@code -} for the item delimiters, which have none), VM, keyword, {@code R}
 * when retired.
 */
public final class DictionaryGenerator {
  private static final Pattern ENTRY =
      Pattern.compile(
          "^\\s+(?:0x([0-9A-Fa-f]{8})|'([0-9A-Fa-fx]{8})'): \\('([^']*)', '([^']*)', \"([^\"]*)\","
              + " '([^']*)', '([^']*)'\\),?\\s*$");

  private DictionaryGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DictionaryGenerator pydicom/_dicom_dict.py dictionary.tsv");
      System.exit(2);
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      Matcher m = ENTRY.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String tag = (m.group(1) != null ? m.group(1) : m.group(2)).toUpperCase().replace('X', 'x');
      String vr = m.group(3).equals("NONE") ? "-" : m.group(3).replace(" or ", "|");
      String keyword = m.group(7);
      // A few retired rows have no keyword ("Retired-blank"): kept, since implicit VR files need
      // their VR.
      out.add(
          String.join(
              "\t", tag, vr, m.group(4), keyword, m.group(6).startsWith("Retired") ? "R" : ""));
    }
    out.sort(null);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
      w.println(
          "# PS3.6 data element registry, from pydicom 3.0.2's _dicom_dict.py by DictionaryGenerator.");
      w.println("# tag\tVR\tVM\tkeyword\tretired");
      out.forEach(w::println);
    }
    System.out.println(out.size() + " entries written to " + args[1]);
  }
}
