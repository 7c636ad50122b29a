package io.ponte.hub.send;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One send of a study to a clinic's PACS and how far it got (V96__send_job.sql, V102). */
@Entity
@Table(name = "send_job")
public class SendJobEntity {

  @Id public String id;

  @Column(nullable = false)
  public String organization;

  @Column(nullable = false)
  public String subject;

  public String username;

  @Column(name = "study_uid", nullable = false)
  public String studyUid;

  @Column(nullable = false)
  public String destination;

  @Column(nullable = false)
  public String state;

  @Column(nullable = false)
  public int total;

  @Column(nullable = false)
  public int completed;

  @Column(nullable = false)
  public int failed;

  /** Why it failed, as whoever ended it named it (V102); null while it has not failed. */
  @Enumerated(EnumType.STRING)
  public SendFailure failure;

  /** The technical detail of a failure, for the clinic's IT. */
  public String reason;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "finished_at")
  public Instant finishedAt;
}
