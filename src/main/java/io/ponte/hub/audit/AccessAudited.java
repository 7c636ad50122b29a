package io.ponte.hub.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Something auditable happened (or was refused), with the HTTP status and error code the caller was
 * answered ({@code status} 200 and no code for a success). {@link AuditTrail} fires it for the
 * access a service runs through it; {@link AuditRecorder} is the one observer that persists it.
 */
public record AccessAudited(
    Actor actor,
    AuditAction action,
    String resourceType,
    AuditOutcome outcome,
    String errorCode,
    int status,
    List<String> patientIds,
    List<String> patientIdentifiers,
    List<String> regionalIds,
    List<String> studyUids,
    String query,
    String detail) {

  /**
   * Collects what a service learns while it works, so a refusal half-way is still recorded with it.
   */
  public static final class Builder {
    private final Actor actor;
    private final AuditAction action;
    private final String resourceType;
    private final List<String> patientIds = new ArrayList<>();
    private final List<String> patientIdentifiers = new ArrayList<>();
    private final List<String> regionalIds = new ArrayList<>();
    private final List<String> studyUids = new ArrayList<>();
    private String query;
    private String detail;
    private int successStatus = 200;

    Builder(Actor actor, AuditAction action, String resourceType) {
      this.actor = actor;
      this.action = action;
      this.resourceType = resourceType;
    }

    public Builder patientId(String id) {
      addDistinct(patientIds, id);
      return this;
    }

    public Builder patientIdentifier(String systemAndValue) {
      addDistinct(patientIdentifiers, systemAndValue);
      return this;
    }

    public Builder regionalId(String id) {
      addDistinct(regionalIds, id);
      return this;
    }

    public Builder studyUid(String uid) {
      addDistinct(studyUids, uid);
      return this;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    /** The status a success is answered with when not 200 (e.g. 201 for a creation). */
    public Builder successStatus(int status) {
      this.successStatus = status;
      return this;
    }

    int successStatus() {
      return successStatus;
    }

    public Builder detail(String detail) {
      this.detail = detail;
      return this;
    }

    private static void addDistinct(List<String> list, String value) {
      if (value != null && !value.isBlank() && !list.contains(value)) {
        list.add(value);
      }
    }

    /** The request id the record will carry (the one the caller sees and the node is sent). */
    public String requestId() {
      return actor.requestId();
    }

    AccessAudited build(AuditOutcome outcome, String errorCode, int status, String failure) {
      String text = failure == null ? detail : (detail == null ? failure : detail + "; " + failure);
      return new AccessAudited(
          actor,
          action,
          resourceType,
          outcome,
          errorCode,
          status,
          List.copyOf(patientIds),
          List.copyOf(patientIdentifiers),
          List.copyOf(regionalIds),
          List.copyOf(studyUids),
          query,
          text);
    }
  }
}
