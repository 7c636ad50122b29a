package io.ponte.hub.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.hub.dimse.DimseRetrieve;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One STOW-RS request to a clinic's DICOMweb endpoint, its multipart/related body written part by
 * part as the instances stream in from the node (a pipe into the HTTP client: never the whole study
 * in memory). Each instance goes as a Part 10 object: a fresh File Meta Information, then the data
 * set as stored. The endpoint's answer (PS3.18 10.5.3: 200 all stored, 202 some failed, 4xx/5xx
 * none) says how many were stored.
 */
final class StowUpload implements DimseRetrieve.Sink, AutoCloseable {

  /**
   * How the endpoint answered: instances it did not store, and the kind and reason of the failure
   * (both null when all were stored).
   */
  record Outcome(int failed, SendFailure failure, String reason) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] CRLF = {'\r', '\n'};

  private final String boundary = "ponte-" + UUID.randomUUID();
  private final PipedInputStream body = new PipedInputStream(1 << 16);
  private final OutputStream out;
  private final CompletableFuture<HttpResponse<String>> response;
  private final URI url;
  private final Duration timeout;
  private int sent;

  StowUpload(HttpClient http, URI url, String bearer, Duration timeout) throws IOException {
    this.url = url;
    this.timeout = timeout;
    this.out = new PipedOutputStream(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
            .header("Accept", "application/dicom+json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    // An endpoint that is down or answers early stops the writer instead of leaving it blocked.
    response.whenComplete((r, e) -> closeQuietly(body));
  }

  @Override
  public boolean accepts(String sopClass, String transferSyntax) {
    return true; // the endpoint says per instance what it refused
  }

  @Override
  public DimseStatus store(String sopClass, String sopInstance, String ts, InputStream data)
      throws IOException {
    try {
      out.write(
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      DicomOutputStream meta = new DicomOutputStream(out);
      meta.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(sopClass, sopInstance, ts));
      meta.flush();
      data.transferTo(out);
      out.write(CRLF);
    } catch (IOException e) {
      throw new SendFailedException(SendFailure.PACS_UNREACHABLE, unreachable(e), e);
    }
    sent++;
    return DimseStatus.OK; // provisional: the answer at the end counts the refused ones
  }

  /** Ends the body and reads the endpoint's answer. */
  Outcome finish() throws IOException {
    try {
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      out.close();
    } catch (IOException e) {
      throw new SendFailedException(SendFailure.PACS_UNREACHABLE, unreachable(e), e);
    }
    HttpResponse<String> r;
    try {
      r = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new SendFailedException(SendFailure.PACS_UNREACHABLE, unreachable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    int status = r.statusCode();
    if (status == 200) {
      return new Outcome(0, null, null);
    }
    if (status == 202 || status == 409) {
      int failed = Math.min(sent, failedSops(r.body()));
      return new Outcome(
          status == 409 ? sent : failed,
          SendFailure.NOT_ALL_STORED,
          "the STOW-RS endpoint " + url + " answered " + status + ": " + failed + " refused");
    }
    return new Outcome(
        sent, SendFailure.PACS_UNREACHABLE, "the STOW-RS endpoint " + url + " answered " + status);
  }

  /** The number of items of FailedSOPSequence (0008,1198) in a STOW-RS response. */
  private static int failedSops(String json) {
    try {
      JsonNode values = JSON.readTree(json).path("00081198").path("Value");
      return values.isArray() ? values.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private String unreachable(Exception e) {
    Throwable cause = e;
    if (response.isCompletedExceptionally()) {
      try {
        response.join();
      } catch (RuntimeException failure) {
        cause = failure.getCause() != null ? failure.getCause() : failure;
      }
    } else if (response.isDone()) {
      HttpResponse<String> early = response.getNow(null);
      if (early != null) {
        return "the STOW-RS endpoint "
            + url
            + " answered "
            + early.statusCode()
            + " before the end";
      }
    }
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return "the STOW-RS endpoint " + url + " could not be reached: " + why;
  }

  @Override
  public void close() {
    closeQuietly(out);
    response.cancel(true);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
