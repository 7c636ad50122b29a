package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.Tag;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.InstanceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One bulk data value of a stored instance, found by its {@link io.ponte.dicomweb.BulkDataPaths}
 * path in the data set; the top-level pixel data is never read into memory (frames serve it). The
 * value is held as the header parse holds it (within the node's DicomReadLimits, as at ingest), in
 * little endian as the codec's model keeps it.
 */
final class BulkDataValue {

  private BulkDataValue() {}

  static byte[] read(InstanceBytes bytes, InstanceLocation location, int[] steps, String path) {
    Attributes ds;
    try (InputStream in = bytes.open(location);
        DicomInputStream dicom = new DicomInputStream(in)) {
      if (steps[0] > Tag.FloatPixelData) {
        // An element after the pixel data: read past it, never holding it.
        dicom.readRestSkippingPixelData();
        ds = dicom.readDataset();
      } else {
        ds = dicom.readDatasetUntilPixelData();
      }
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the instance could not be read", Map.of(), e);
    }
    for (int i = 0; i < steps.length - 1; i += 2) {
      Sequence items = ds.getSequence(steps[i]);
      if (items == null || steps[i + 1] >= items.size()) {
        throw absent(path);
      }
      ds = items.get(steps[i + 1]);
    }
    int tag = steps[steps.length - 1];
    Object value = ds.getValue(tag);
    if (!(value instanceof byte[] b) || ds.getVR(tag) == null || !ds.getVR(tag).isBulk()) {
      throw value == null
          ? absent(path)
          : new ProblemException(
              ErrorCode.NOT_FOUND,
              Tag.toString(tag) + " of this instance is not served as bulk data");
    }
    return b;
  }

  private static ProblemException absent(String path) {
    return new ProblemException(ErrorCode.NOT_FOUND, "this instance has no bulk data at " + path);
  }
}
