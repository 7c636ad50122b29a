package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.DicomSamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every sample cut at every 7th byte, and a few thousand seeded random mutations of the samples:
 * the reader either parses or throws DicomParseException; no other exception, no hang (the timeouts
 * guard), no OOM.
 */
class TruncationAndFuzzTest {

  /** The samples our reader accepts whole, as bytes. */
  static List<byte[]> readableSamples() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path p : DicomSamples.all()) {
      byte[] b = Files.readAllBytes(p);
      try {
        MalformedInputTest.read(b);
        out.add(b);
      } catch (DicomParseException e) {
        // the truncated and corrupt samples: tested elsewhere
      }
    }
    return out;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyTruncationFailsCleanlyOrEndsAtAnElementBoundary() throws IOException {
    int cuts = 0;
    int clean = 0;
    for (byte[] full : readableSamples()) {
      Attributes whole = MalformedInputTest.read(full);
      for (int cut = 0; cut < full.length; cut += 7) {
        cuts++;
        byte[] part = Arrays.copyOf(full, cut);
        Attributes got;
        try {
          got = MalformedInputTest.read(part);
        } catch (DicomParseException e) {
          assertThat(e.getMessage()).startsWith("at byte ");
          assertThat(e.offset()).isBetween(0L, (long) Math.max(cut, 132) + 1_000_000);
          continue;
        } catch (IOException | RuntimeException | Error e) {
          throw new AssertionError("cut at " + cut + ": " + e, e);
        }
        // A clean parse of a cut file is only possible at a top-level element boundary: a prefix.
        clean++;
        assertThat(got.size()).isLessThanOrEqualTo(whole.size());
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.tagAt(i)).isEqualTo(whole.tagAt(i));
        }
      }
    }
    assertThat(cuts).isGreaterThan(1000);
    assertThat(clean).isLessThan(cuts / 4);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void randomMutationsOnlyEverRaiseDicomParseException() throws IOException {
    List<byte[]> samples = readableSamples();
    Random rnd = new Random(20261128L);
    int parsed = 0;
    int rejected = 0;
    for (int n = 0; n < 3000; n++) {
      byte[] b = samples.get(rnd.nextInt(samples.size())).clone();
      String how = mutate(b, rnd);
      if (how.startsWith("cut")) {
        b = Arrays.copyOf(b, Integer.parseInt(how.substring(4)));
      }
      try {
        Attributes a = MalformedInputTest.read(b);
        touchEverything(a, 0);
        parsed++;
      } catch (DicomParseException e) {
        rejected++;
      } catch (IOException | RuntimeException | Error e) {
        throw new AssertionError("case " + n + " (" + how + "): " + e, e);
      }
    }
    assertThat(parsed + rejected).isEqualTo(3000);
    assertThat(rejected).isGreaterThan(100);
  }

  /** Mutates in place; returns a description (and "cut N" to truncate). */
  private static String mutate(byte[] b, Random rnd) {
    int kind = rnd.nextInt(5);
    int at = rnd.nextInt(b.length);
    switch (kind) {
      case 0:
        {
          int flips = 1 + rnd.nextInt(8);
          for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
          return "flip " + flips;
        }
      case 1:
        {
          // A length-like field: an absurd or undefined 32-bit value at an even offset.
          int off = Math.min(at & ~1, b.length - 4);
          long[] lens = {
            0xFFFFFFFFL, 0x7FFFFFFFL, 0xFFFFFFF0L, 0, 1, 3, rnd.nextInt() & 0xFFFFFFFFL
          };
          long v = lens[rnd.nextInt(lens.length)];
          for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
          }
          return "len32 at " + off;
        }
      case 2:
        {
          int off = Math.min(at & ~1, b.length - 2);
          int v = rnd.nextBoolean() ? 0xFFFF : rnd.nextInt(0x10000);
          b[off] = (byte) v;
          b[off + 1] = (byte) (v >>> 8);
          return "len16 at " + off;
        }
      case 3:
        {
          // An item or delimiter tag where something else was.
          int off = Math.min(at & ~1, b.length - 4);
          int[] tags = {Tag.Item, Tag.ItemDelimitationItem, Tag.SequenceDelimitationItem};
          int t = tags[rnd.nextInt(tags.length)];
          b[off] = (byte) (t >>> 16);
          b[off + 1] = (byte) (t >>> 24);
          b[off + 2] = (byte) t;
          b[off + 3] = (byte) (t >>> 8);
          return "tag at " + off;
        }
      default:
        {
          b[rnd.nextInt(b.length)] ^= (byte) 0xFF;
          return "cut " + rnd.nextInt(b.length);
        }
    }
  }

  /** Accessors must not throw on whatever a mutated file decoded to. */
  private static void touchEverything(Attributes a, int depth) {
    for (Attributes.Element e : a) {
      a.getString(e.tag());
      a.getStrings(e.tag());
      a.getInt(e.tag(), 0);
      if (e.sequence() != null) {
        for (Attributes item : e.sequence()) {
          touchEverything(item, depth + 1);
        }
      }
    }
  }

  @Test
  void readsFromAStreamThatEndsEarlyLikeFromBytes() throws IOException {
    for (byte[] full : readableSamples()) {
      Attributes a = MalformedInputTest.read(full);
      try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(full))) {
        assertThat(in.readDataset().size()).isEqualTo(a.size());
      }
    }
  }
}
