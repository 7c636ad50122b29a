package io.ponte.hub.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.dimse.DimseRetrieve;
import io.ponte.role.PonteConfig;
import io.ponte.security.Roles;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.JsonAnswer;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each way a send ends failed records its kind on the job (send_job.failure) beside the reason: a
 * PACS that refuses the association or whose token endpoint is down cannot be reached, an
 * association that breaks off is a lost connection, a PACS or STOW-RS endpoint that takes only some
 * instances is not all stored, the hub failing while sending is other, and a restart interrupts
 * what was under way; an export the audit cannot record ends the job before anything is sent. The
 * PACS side is real (a closed port, an HTTP endpoint); where the node's side must stream or break
 * off, a stand-in {@link DimseRetrieve} does it.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class SendJobsTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final SecurityIdentity ANA =
      QuarkusSecurityIdentity.builder()
          .setPrincipal(new QuarkusPrincipal("ana.clinic"))
          .addRole(Roles.CLINICIAN)
          .build();

  @Inject SendJobs jobs;

  @Inject HubDatabase db;

  @Inject PonteConfig ponte;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  HttpServer server;

  final DimseRetrieve.Plan plan =
      new DimseRetrieve.Plan(List.of(new DimseRetrieve.Unit("1.2.3", null, null, 2)), Set.of(CT));

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aPacsThatRefusesTheAssociationCannotBeReached() throws Exception {
    SendJobEntity job = send(dimse(closedPort()));
    assertThat(job.failure).isEqualTo(SendFailure.PACS_UNREACHABLE);
    assertThat(job.reason).contains("did not accept an association");
  }

  @Test
  void anAssociationThatBreaksOffIsALostConnection() throws Exception {
    nodeForwards(
        () -> {
          throw new IOException("Broken pipe");
        });
    SendJobEntity job = send(dimse(104));
    assertThat(job.failure).isEqualTo(SendFailure.CONNECTION_LOST);
    assertThat(job.reason).contains("broke off: Broken pipe");
  }

  @Test
  void aPacsThatStoresSomeInstancesIsNotAllStored() throws Exception {
    nodeForwards(() -> new DimseRetrieve.Counts(1, 1, 0, false));
    SendJobEntity job = send(dimse(104));
    assertThat(job.failure).isEqualTo(SendFailure.NOT_ALL_STORED);
    assertThat(job.reason).startsWith("1 of 2 instances were not stored");
  }

  @Test
  void theHubFailingWhileSendingIsOther() throws Exception {
    nodeForwards(
        () -> {
          throw new AssertionError("a bug of the hub's");
        });
    SendJobEntity job = send(dimse(104));
    assertThat(job.failure).isEqualTo(SendFailure.OTHER);
    assertThat(job.reason).isEqualTo("the hub failed while sending (AssertionError)");
  }

  @Test
  void aStowEndpointThatRefusesSomeInstancesIsNotAllStored() throws Exception {
    streamingNode();
    String refused =
        "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.2\"]}}]}}";
    SendJobEntity job = send(stow(stowEndpoint(202, refused), null));
    assertThat(job.failure).isEqualTo(SendFailure.NOT_ALL_STORED);
    assertThat(job.reason).contains("answered 202: 1 refused");
    assertThat(job.completed).isEqualTo(1);
  }

  @Test
  void aStowEndpointThatRefusesTheRequestCannotBeReached() throws Exception {
    streamingNode();
    SendJobEntity job = send(stow(stowEndpoint(500, ""), null));
    assertThat(job.failure).isEqualTo(SendFailure.PACS_UNREACHABLE);
    assertThat(job.reason).endsWith("answered 500");
  }

  @Test
  void aStowEndpointAllStoredCompletesWithoutAFailure() throws Exception {
    streamingNode();
    SendJobEntity job = send(stow(stowEndpoint(200, "{}"), null));
    assertThat(job.state).isEqualTo(SendJobs.COMPLETED);
    assertThat(job.failure).isNull();
    assertThat(job.reason).isNull();
  }

  @Test
  void aTokenEndpointThatIsDownCannotBeReached() throws Exception {
    URI token = URI.create("http://127.0.0.1:" + closedPort() + "/token");
    SendJobEntity job = send(stow(URI.create("http://127.0.0.1:1/studies"), token));
    assertThat(job.failure).isEqualTo(SendFailure.PACS_UNREACHABLE);
    assertThat(job.reason).startsWith("the token endpoint " + token);
  }

  @Test
  void anExportTheAuditCannotRecordSendsNothingAndSaysSo() throws Exception {
    String study = "1.2.826.0.1.3680043.10.1." + System.nanoTime();
    int pacs = closedPort();
    QuarkusMock.installMockForType(
        new SendDestinations() {
          @Override
          public Optional<Target> of(String organisation) {
            return Optional.of(dimse(pacs));
          }
        },
        SendDestinations.class);
    QuarkusMock.installMockForType(
        new Node() {
          @Override
          public Plan planStudy(String studyUid) {
            return new Plan(List.of(new Unit(studyUid, null, null, 2)), Set.of(CT));
          }

          @Override
          public Counts forward(Plan plan, String what, Progress progress, Sink sink) {
            throw new AssertionError("nothing may be sent");
          }
        },
        DimseRetrieve.class);
    // As the owner: the hub's own role may not rename the audit table.
    try (Connection c = TestDatabases.asOwner(ds);
        Statement s = c.createStatement()) {
      s.execute("alter table audit_record rename to audit_record_offline");
      try {
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .contentType("application/json")
            .body("{\"studyUid\":\"" + study + "\"}")
            .post("/api/clinician/sends")
            .then()
            .statusCode(503)
            .body("code", equalTo("ponte:audit-unavailable"));
      } finally {
        s.execute("alter table audit_record_offline rename to audit_record");
      }
    }
    SendJobEntity job =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    db.em()
                        .createQuery(
                            "from SendJobEntity where studyUid = :study", SendJobEntity.class)
                        .setParameter("study", study)
                        .getSingleResult());
    assertThat(job.state).isEqualTo(SendJobs.FAILED);
    assertThat(job.failure).isEqualTo(SendFailure.AUDIT_UNAVAILABLE);
    assertThat(job.reason).isEqualTo("the audit trail is unavailable: nothing was sent");
  }

  @Test
  void aSendTheHubsRestartCutShortWasInterrupted() {
    SendJobEntity queued = queued();
    jobs.interrupted(null, ponte);
    SendJobEntity job = row(queued.id);
    assertThat(job.state).isEqualTo(SendJobs.FAILED);
    assertThat(job.failure).isEqualTo(SendFailure.INTERRUPTED);
    assertThat(job.reason).startsWith("interrupted by a restart of the hub");
  }

  /** Sends {@link #plan} to {@code target} as ana.clinic; the job as it finished. */
  private SendJobEntity send(SendDestinations.Target target) throws InterruptedException {
    SendJobEntity job = queued();
    jobs.submit(job.id, plan, target, ANA);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      SendJobEntity now = row(job.id);
      if (SendJobs.COMPLETED.equals(now.state) || SendJobs.FAILED.equals(now.state)) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the send did not finish");
  }

  private SendJobEntity queued() {
    SendJobEntity job = new SendJobEntity();
    job.id = UUID.randomUUID().toString();
    job.organization = "clinic-norte";
    job.subject = "ana";
    job.username = "ana.clinic";
    job.studyUid = "1.2.3";
    job.destination = "test";
    job.state = SendJobs.QUEUED;
    job.total = plan.total();
    job.createdAt = Instant.now();
    QuarkusTransaction.requiringNew().run(() -> db.em().persist(job));
    return job;
  }

  private SendJobEntity row(String id) {
    return QuarkusTransaction.requiringNew().call(() -> db.em().find(SendJobEntity.class, id));
  }

  private static SendDestinations.Target dimse(int port) {
    return new SendDestinations.Target(null, "TEST_PACS", "127.0.0.1", port, null);
  }

  private static SendDestinations.Target stow(URI url, URI tokenUrl) {
    return new SendDestinations.Target(null, null, null, 0, StowTokensTest.stow(url, tokenUrl));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A STOW-RS endpoint that reads the whole body and answers {@code status, json}. */
  private URI stowEndpoint(int status, String json) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/studies",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          JsonAnswer.send(exchange, status, "application/dicom+json", json);
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/studies");
  }

  /** The node's side: both instances of the plan streamed into the sink. */
  private static void streamingNode() {
    QuarkusMock.installMockForType(
        new Node() {
          @Override
          public Counts forward(Plan plan, String what, Progress progress, Sink sink)
              throws IOException {
            int stored = 0;
            for (String sop : List.of("1.2.3.1", "1.2.3.2")) {
              byte[] data = ("DATASET-" + sop).getBytes(StandardCharsets.US_ASCII);
              if (sink.store(CT, sop, EXPLICIT_LE, new ByteArrayInputStream(data)).isSuccess()) {
                stored++;
              }
            }
            return new Counts(stored, 2 - stored, 0, false);
          }
        },
        DimseRetrieve.class);
  }

  /** What the stand-in node's forward does: answers counts, or throws. */
  private interface Forward {
    DimseRetrieve.Counts answer() throws IOException;
  }

  /** The node's side of a DIMSE send stood in for by {@code forward}. */
  private static void nodeForwards(Forward forward) {
    QuarkusMock.installMockForType(
        new Node() {
          @Override
          public Counts forward(Plan plan, String what, Progress progress, Sink sink)
              throws IOException {
            return forward.answer();
          }
        },
        DimseRetrieve.class);
  }

  /**
   * The hub's retrieve with the node's side stood in for: the PACS accepts every association (no
   * real one is opened), {@link #forward} says what the node sent.
   */
  private abstract static class Node extends DimseRetrieve {
    @Override
    public ClientAssociation openStore(
        String calledAeTitle, String destination, Set<String> sopClasses) {
      return null;
    }
  }
}
