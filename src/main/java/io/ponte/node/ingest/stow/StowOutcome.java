package io.ponte.node.ingest.stow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-instance results of one STOW-RS request (PS3.18 Annex I Store Instances Response Module),
 * and the HTTP status they add up to (PS3.18 Table 10.5.3-1).
 */
public final class StowOutcome {

  public record Stored(String sopClassUid, String sopInstanceUid, String retrieveUrl) {}

  /**
   * UIDs may be null when the part was not readable far enough to know them. The failure reason is
   * a {@link io.ponte.dicom.net.DimseStatus} value, chosen by {@link
   * io.ponte.node.ingest.StoreRefusal}.
   */
  public record Failed(
      String sopClassUid, String sopInstanceUid, int failureReason, String comment) {}

  private final String retrieveUrl;
  private final List<Stored> stored = new ArrayList<>();
  private final List<Failed> failed = new ArrayList<>();
  private final Map<String, Integer> storedByStudy = new LinkedHashMap<>();

  public StowOutcome(String retrieveUrl) {
    this.retrieveUrl = retrieveUrl;
  }

  public void stored(Stored s) {
    stored.add(s);
  }

  /** Counts a stored instance under its study, for the request's audit records. */
  public void storedIn(String studyInstanceUid) {
    storedByStudy.merge(studyInstanceUid, 1, Integer::sum);
  }

  public Map<String, Integer> storedByStudy() {
    return storedByStudy;
  }

  public void failed(Failed f) {
    failed.add(f);
  }

  /**
   * The study URL when the request targeted one study (or all stored instances share one), else
   * null.
   */
  public String retrieveUrl() {
    return retrieveUrl;
  }

  public List<Stored> stored() {
    return stored;
  }

  public List<Failed> failed() {
    return failed;
  }

  /** 200 all stored; 202 some stored, some failed; 409 none stored. */
  public int httpStatus() {
    if (failed.isEmpty()) {
      return 200;
    }
    return stored.isEmpty() ? 409 : 202;
  }
}
