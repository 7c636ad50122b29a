package io.ponte.hub.send;

import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.dimse.DimseRetrieve;
import io.ponte.role.PonteConfig;
import io.ponte.security.IdentityContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs accepted sends in the background, each as the clinician who asked (so the fetch from the
 * owning node takes the same decision and leaves the same audit as any retrieve): one association
 * to the clinic's PACS, the study streamed into it part by part ({@link DimseRetrieve#forward}),
 * the progress written to the job row as it goes, and a closing export record with the outcome.
 */
@ApplicationScoped
public class SendJobs {

  private static final Logger LOG = Logger.getLogger(SendJobs.class);

  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";

  @Inject SendConfig config;

  @Inject DimseRetrieve retrieve;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  private volatile ExecutorService workers;

  /** One client for every STOW-RS send (and its token requests). */
  private volatile HttpClient http;

  /** A send the hub stopped in the middle of is over: its connection went with the process. */
  void interrupted(@Observes StartupEvent start, PonteConfig ponte) {
    if (!ponte.isHub()) {
      return;
    }
    int n =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    db.em()
                        .createQuery(
                            "update SendJobEntity set state = :failed, failure = :kind, reason ="
                                + " :why, finishedAt = :now where state in (:queued, :running)")
                        .setParameter("failed", FAILED)
                        .setParameter("kind", SendFailure.INTERRUPTED)
                        .setParameter("why", "interrupted by a restart of the hub; send it again")
                        .setParameter("now", Instant.now())
                        .setParameter("queued", QUEUED)
                        .setParameter("running", RUNNING)
                        .executeUpdate());
    if (n > 0) {
      LOG.infof("%d send(s) to clinics' PACS were interrupted by the restart", n);
    }
  }

  void submit(
      String id, DimseRetrieve.Plan plan, SendDestinations.Target target, SecurityIdentity who) {
    executor()
        .submit(
            () -> {
              try {
                IdentityContext.call(
                    who,
                    () -> {
                      run(id, plan, target);
                      return null;
                    });
              } catch (Exception | Error e) {
                LOG.errorf(e, "send %s", id);
                abandon(
                    id,
                    SendFailure.OTHER,
                    "the hub failed while sending (" + e.getClass().getSimpleName() + ")");
              }
            });
  }

  /** Ends a send that never ran or broke off; a finished one is left as it is. */
  void abandon(String id, SendFailure kind, String reason) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              SendJobEntity e = db.em().find(SendJobEntity.class, id);
              if (e != null && !COMPLETED.equals(e.state) && !FAILED.equals(e.state)) {
                e.state = FAILED;
                e.failure = kind;
                e.reason = reason;
                e.finishedAt = Instant.now();
              }
            });
  }

  private void run(String id, DimseRetrieve.Plan plan, SendDestinations.Target target) {
    update(id, e -> e.state = RUNNING);
    Delivery d = target.dimse() ? viaDimse(id, plan, target) : viaStow(id, plan, target);
    int stored = d.stored();
    int failed = plan.total() - stored;
    SendFailure kind = d.failure();
    String reason = d.reason();
    if (reason == null && failed > 0) {
      kind = SendFailure.NOT_ALL_STORED;
      reason =
          failed
              + " of "
              + plan.total()
              + " instances were not stored (not fetched from the site, or refused by the PACS)";
    }
    String outcome = reason;
    SendFailure outcomeKind = reason == null ? null : kind;
    update(
        id,
        e -> {
          e.state = outcome == null ? COMPLETED : FAILED;
          e.completed = stored;
          e.failed = failed;
          e.failure = outcomeKind;
          e.reason = outcome;
          e.finishedAt = Instant.now();
        });
    recordOutcome(id, plan, target, stored, outcome);
  }

  /**
   * How many instances the PACS took, and the kind and reason why not all (both null: no failure of
   * the transport).
   */
  private record Delivery(int stored, SendFailure failure, String reason) {}

  /** One association; each instance one C-STORE, streamed from the node as it arrives. */
  private Delivery viaDimse(String id, DimseRetrieve.Plan plan, SendDestinations.Target target) {
    ClientAssociation association;
    try {
      association = retrieve.openStore(target.aeTitle(), target.address(), plan.sopClasses());
    } catch (IOException | RuntimeException e) {
      return new Delivery(
          0,
          SendFailure.PACS_UNREACHABLE,
          "the PACS "
              + target.aeTitle()
              + " at "
              + target.address()
              + " did not accept an association: "
              + message(e));
    }
    DimseRetrieve.Counts counts = new DimseRetrieve.Counts(0, 0, 0, false);
    try (ClientAssociation a = association) {
      counts = retrieve.forward(plan, "Send to PACS (DIMSE)", new JobProgress(id), sink(a));
    } catch (IOException | RuntimeException e) {
      return new Delivery(
          counts.completed() + counts.warning(),
          SendFailure.CONNECTION_LOST,
          "the connection to the PACS " + target.aeTitle() + " broke off: " + message(e));
    }
    return new Delivery(counts.completed() + counts.warning(), null, null);
  }

  /** One STOW-RS request whose body streams the study in, instance by instance. */
  private Delivery viaStow(String id, DimseRetrieve.Plan plan, SendDestinations.Target target) {
    SendConfig.Stow stow = target.stow();
    String bearer;
    try {
      bearer = StowTokens.bearer(http(), stow);
    } catch (IOException e) {
      return new Delivery(0, SendFailedException.kindOf(e), message(e));
    }
    try (StowUpload upload = new StowUpload(http(), stow.url(), bearer, stow.timeout())) {
      DimseRetrieve.Counts counts =
          retrieve.forward(plan, "Send to PACS (STOW-RS)", new JobProgress(id), upload);
      StowUpload.Outcome outcome = upload.finish();
      return new Delivery(
          Math.max(0, counts.completed() - outcome.failed()), outcome.failure(), outcome.reason());
    } catch (IOException | RuntimeException e) {
      // The endpoint's failures name their kind; the node's or the hub's own are OTHER.
      return new Delivery(0, SendFailedException.kindOf(e), message(e));
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private HttpClient http() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }
    return http;
  }

  /** The closing export record: how many instances the PACS holds now, or why not all. */
  private void recordOutcome(
      String id,
      DimseRetrieve.Plan plan,
      SendDestinations.Target target,
      int stored,
      String reason) {
    String studyUid = plan.units().get(0).study();
    try {
      audit.aroundUntransacted(
          audit
              .about(AuditAction.EXPORT, "ImagingStudy")
              .studyUid(studyUid)
              .detail(
                  "send "
                      + id
                      + ": "
                      + stored
                      + " of "
                      + plan.total()
                      + " instances stored in "
                      + target.describe()),
          record -> {
            if (reason != null) {
              throw new ProblemException(ErrorCode.DESTINATION_UNAVAILABLE, reason);
            }
            return id;
          },
          r -> {});
    } catch (ProblemException e) {
      // recorded as failed; the job row says why
    }
  }

  private static DimseRetrieve.Sink sink(ClientAssociation a) {
    return new DimseRetrieve.Sink() {
      @Override
      public boolean accepts(String sopClass, String ts) {
        return a.accepts(sopClass, ts);
      }

      @Override
      public DimseStatus store(String sopClass, String sopInstance, String ts, InputStream data)
          throws IOException {
        return a.store(sopClass, sopInstance, ts, data);
      }
    };
  }

  /** Writes the counts to the job row, at most every progress-interval (the page polls it). */
  private final class JobProgress implements DimseRetrieve.Progress {
    private final String id;
    private long written;
    private final AtomicInteger updates = new AtomicInteger();

    JobProgress(String id) {
      this.id = id;
    }

    @Override
    public boolean cancelled() {
      return false;
    }

    @Override
    public void progress(int remaining, int completed, int failed, int warning) {
      long now = System.nanoTime();
      if (updates.getAndIncrement() > 0 && now - written < config.progressInterval().toNanos()) {
        return;
      }
      written = now;
      update(
          id,
          e -> {
            e.completed = completed + warning;
            e.failed = failed;
          });
    }
  }

  private void update(String id, java.util.function.Consumer<SendJobEntity> change) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              SendJobEntity e = db.em().find(SendJobEntity.class, id);
              if (e != null) {
                change.accept(e);
              }
            });
  }

  private ExecutorService executor() {
    if (workers == null) {
      synchronized (this) {
        if (workers == null) {
          AtomicInteger n = new AtomicInteger();
          workers =
              Executors.newFixedThreadPool(
                  config.workers(),
                  r -> {
                    Thread t = new Thread(r, "ponte-send-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                  });
        }
      }
    }
    return workers;
  }

  @PreDestroy
  void stop() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
