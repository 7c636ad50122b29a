package io.ponte.dicom.json;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.VR;
import java.util.Objects;

/**
 * A value known only by its "BulkDataURI" (PS3.18 F.2.6), as {@link DicomJsonReader} stores it in
 * {@link Attributes} in place of the bytes; {@link DicomJsonWriter} writes it back as a BulkDataURI.
 * Fetching the bytes is the caller's business (the URI may need credentials).
 *
 * @param uri the URI as given
 * @param vr  the element's VR
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
}
