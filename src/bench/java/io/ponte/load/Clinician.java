package io.ponte.load;

import io.ponte.faults.FaultKit;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated clinician at the hub, with a token of its own (a demo clinician's password grant,
 * renewed 30 s before it expires): in a loop without pause, picks a known study and does what a
 * viewer does with it: QIDO-RS by patient id, by name and by date, the study's metadata, the whole
 * study by WADO-RS, one frame, the study's thumbnail. An answer counts as an error unless it is a
 * 200 carrying what was asked for (the study in the search, every instance in the retrieve).
 */
final class Clinician implements Runnable {

  static final List<String> USERS = List.of("ana.clinic", "bruno.hospa", "carla.hospb");
  private static final String DICOM = "multipart/related; type=\"application/dicom\"";
  private static final String OCTETS = "multipart/related; type=\"application/octet-stream\"";
  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");
  private static final Map<String, Object> SIGN_IN = new ConcurrentHashMap<>();

  private final String hub;
  private final String realm;
  private final String user;
  private final List<LoadCt.Study> studies;
  private final AtomicBoolean stop;
  private final Latencies latencies;
  private final Random random;
  private String token;
  private long expiresAt;

  Clinician(
      int n,
      String hub,
      String realm,
      List<LoadCt.Study> studies,
      AtomicBoolean stop,
      Latencies latencies) {
    this.hub = hub;
    this.realm = realm;
    this.user = USERS.get(n % USERS.size());
    this.studies = studies;
    this.stop = stop;
    this.latencies = latencies;
    this.random = new Random(n);
  }

  @Override
  public void run() {
    while (!stop.get()) {
      if (!freshToken()) {
        sleep(1000);
        continue;
      }
      LoadCt.Study s = studies.get(random.nextInt(studies.size()));
      String uid = s.uid();
      String sop = s.sops().get(random.nextInt(s.sops().size()));
      byte[] uidBytes = uid.getBytes(StandardCharsets.US_ASCII);
      Predicate<byte[]> listsStudy = body -> indexOf(body, uidBytes, 0) >= 0;
      call(
          "qido-patient-id", "/dicomweb/studies?PatientID=" + enc(s.patientId()), JSON, listsStudy);
      call("qido-name", "/dicomweb/studies?PatientName=" + enc(s.patientName()), JSON, listsStudy);
      call("qido-date", "/dicomweb/studies?StudyDate=" + s.date() + "&limit=100", JSON, listsStudy);
      byte[] sopBytes = sop.getBytes(StandardCharsets.US_ASCII);
      call(
          "metadata",
          "/dicomweb/studies/" + uid + "/metadata",
          JSON,
          body -> indexOf(body, sopBytes, 0) >= 0);
      byte[] part = "Content-Type: application/dicom".getBytes(StandardCharsets.US_ASCII);
      call(
          "retrieve-study",
          "/dicomweb/studies/" + uid,
          DICOM,
          body -> count(body, part) == s.sops().size());
      call(
          "retrieve-frame",
          "/dicomweb/studies/" + uid + "/series/" + s.series() + "/instances/" + sop + "/frames/1",
          OCTETS,
          body -> body.length >= 512 * 512 * 2);
      call(
          "thumbnail",
          "/dicomweb/studies/" + uid + "/thumbnail",
          "image/jpeg",
          body -> body.length > 2 && (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xd8);
    }
  }

  private static final String JSON = "application/dicom+json";

  private void call(String operation, String path, String accept, Predicate<byte[]> holds) {
    if (stop.get()) {
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(hub + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Accept", accept)
            .GET()
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<byte[]> r = FaultKit.HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (r.statusCode() != 200) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        latencies.error(
            operation,
            ms,
            r.statusCode() + " " + path + ": " + body.substring(0, Math.min(200, body.length())));
      } else if (!holds.test(r.body())) {
        latencies.error(operation, ms, "200 without what was asked for: " + path);
      } else {
        latencies.ok(operation, ms);
      }
    } catch (IOException e) {
      latencies.error(operation, (System.nanoTime() - start) / 1_000_000, path + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
    }
  }

  /** A token of this clinician's own, renewed 30 s before its expiry; false if none came. */
  private boolean freshToken() {
    if (token != null && System.currentTimeMillis() < expiresAt - 30_000) {
      return true;
    }
    long start = System.nanoTime();
    try {
      // One sign-in per demo user at a time: Keycloak 26 with brute-force protection (the demo
      // realm's) refuses concurrent logins of one user as user_temporarily_disabled, and 20
      // simulated clinicians share 3 demo accounts, which real clinicians would not.
      synchronized (SIGN_IN.computeIfAbsent(user, u -> new Object())) {
        token = FaultKit.userToken(realm, user);
      }
      String payload =
          new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
      Matcher m = EXP.matcher(payload);
      expiresAt =
          m.find() ? Long.parseLong(m.group(1)) * 1000 : System.currentTimeMillis() + 60_000;
      latencies.ok("token", (System.nanoTime() - start) / 1_000_000);
      return true;
    } catch (IOException | RuntimeException e) {
      latencies.error("token", (System.nanoTime() - start) / 1_000_000, user + ": " + e);
      token = null;
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
      return false;
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static int count(byte[] haystack, byte[] needle) {
    int n = 0;
    for (int at = indexOf(haystack, needle, 0); at >= 0; at = indexOf(haystack, needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int at = from; at <= haystack.length - needle.length; at++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[at + k] != needle[k]) {
          continue outer;
        }
      }
      return at;
    }
    return -1;
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
    }
  }
}
