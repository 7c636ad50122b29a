package io.ponte.dicom.json;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.VR;
import java.io.IOException;
import java.util.Objects;

/**
 * A value known only by its "BulkDataURI" (PS3.18 F.2.6), as {@link DicomJsonReader} stores it in
 * {@link Attributes} in place of the bytes; {@link DicomJsonWriter} writes it back as a
 * BulkDataURI. Fetching the bytes is the caller's business (the URI may need credentials).
 *
 * @param uri the URI as given
 * @param vr the element's VR
 */
public record BulkDataReference(String uri, VR vr) {

  public BulkDataReference {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(vr, "vr");
  }

  /** The reference stored at {@code tag}, or null when the element is absent or has real bytes. */
  public static BulkDataReference of(Attributes ds, int tag) {
    return ds.getValue(tag) instanceof BulkDataReference r ? r : null;
  }

  /** Fetches the bytes a reference names (e.g. the STOW-RS part with that Content-Location). */
  @FunctionalInterface
  public interface Resolver {
    byte[] bytes(BulkDataReference reference) throws IOException;
  }

  /**
   * Replaces every reference in {@code ds} and its items by the bytes {@code resolver} gives, so
   * the data set can be written as Part 10 (the codec's writer knows bytes, sequences and
   * fragments, not URIs). Returns how many were resolved.
   */
  public static int resolveAll(Attributes ds, Resolver resolver) throws IOException {
    int n = 0;
    for (int i = 0; i < ds.size(); i++) {
      Object v = ds.valueAt(i);
      if (v instanceof BulkDataReference ref) {
        byte[] bytes = resolver.bytes(ref);
        if (bytes == null) {
          throw new IOException(
              "no bulk data for " + io.ponte.dicom.Tag.toString(ds.tagAt(i)) + " at " + ref.uri());
        }
        ds.setValue(ds.tagAt(i), ref.vr(), bytes);
        n++;
      } else if (v instanceof Sequence items) {
        for (Attributes item : items) {
          n += resolveAll(item, resolver);
        }
      }
    }
    return n;
  }
}
