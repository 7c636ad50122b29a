package io.ponte.node.migrate;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.dicom.json.DicomJsonReader;
import io.ponte.stream.MultipartRelatedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DICOMweb archive ({@code dicomweb+http://host:port/path}, or {@code dicomweb+https://}):
 * QIDO-RS {@code /studies} page by page ({@code limit}/{@code offset}), QIDO-RS {@code /instances}
 * of one study when only some are missing, and WADO-RS of each study (or instance) as {@code
 * multipart/related; type="application/dicom"}, read part by part off the response stream. An
 * optional bearer token is sent with every request.
 */
final class DicomwebSource implements RemoteSource {

  /** Instances as stored: no transcoding, so the SHA-256 is the archive's. */
  static final String ACCEPT_AS_STORED =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

  private static final Pattern BOUNDARY =
      Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

  private final String key;
  private final String base;
  private final String token;
  private final int pageSize;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param from {@code dicomweb+http://...} or {@code dicomweb+https://...}
   * @param token a bearer token, or null
   */
  DicomwebSource(String from, String token, int pageSize, Duration timeout) {
    String url = from.substring("dicomweb+".length());
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    this.base = url;
    this.key = "dicomweb+" + url;
    this.token = token;
    this.pageSize = pageSize;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public void check() throws SourceUnavailableException {
    try {
      HttpResponse<InputStream> r = get("/studies?limit=1", "application/dicom+json");
      r.body().close();
      if (r.statusCode() != 200 && r.statusCode() != 204) {
        throw new SourceUnavailableException(
            key
                + ": "
                + (r.statusCode() == 404
                    ? "HTTP 404: no DICOMweb service (QIDO-RS /studies) at this URL"
                    : refusal(r.statusCode())),
            null);
      }
    } catch (SourceUnavailableException e) {
      throw e;
    } catch (IOException e) {
      String why =
          e instanceof ConnectException || e.getCause() instanceof ConnectException
              ? "unreachable (" + e + ")"
              : e.toString();
      throw new SourceUnavailableException(key + ": " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceUnavailableException(key + ": interrupted", e);
    }
  }

  private static String refusal(int status) {
    return switch (status) {
      case 401 -> "HTTP 401: the source wants a bearer token (--token-file or PONTE_MIGRATE_TOKEN)";
      case 403 -> "HTTP 403: the token given may not read this source";
      case 404 -> "HTTP 404: not found";
      default -> "HTTP " + status;
    };
  }

  @Override
  public void studies(StudyVisitor visitor) throws IOException, InterruptedException {
    for (int offset = 0; ; ) {
      List<Attributes> page =
          qido(
              "/studies?limit="
                  + pageSize
                  + "&offset="
                  + offset
                  + "&includefield=00201208&includefield=00080062");
      for (Attributes s : page) {
        String uid = s.getString(Tag.StudyInstanceUID);
        if (uid != null && !uid.isBlank()) {
          String[] classes = s.getStrings(Tag.SOPClassesInStudy);
          visitor.visit(
              new Study(
                  uid.trim(),
                  s.getInt(Tag.NumberOfStudyRelatedInstances, -1),
                  classes == null ? List.of() : List.of(classes)));
        }
      }
      if (page.size() < pageSize) {
        return;
      }
      offset += page.size();
    }
  }

  @Override
  public List<Instance> instances(String studyUid) throws IOException {
    List<Instance> all = new ArrayList<>();
    try {
      for (int offset = 0; ; ) {
        List<Attributes> page =
            qido("/studies/" + studyUid + "/instances?limit=" + pageSize + "&offset=" + offset);
        for (Attributes i : page) {
          String series = i.getString(Tag.SeriesInstanceUID);
          String sop = i.getString(Tag.SOPInstanceUID);
          if (series != null && sop != null) {
            all.add(new Instance(series.trim(), sop.trim()));
          }
        }
        if (page.size() < pageSize) {
          return all;
        }
        offset += page.size();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private List<Attributes> qido(String path) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = get(path, "application/dicom+json");
    try (InputStream body = r.body()) {
      if (r.statusCode() == 204) {
        return List.of();
      }
      if (r.statusCode() != 200) {
        throw new IOException("QIDO-RS " + path + ": " + refusal(r.statusCode()));
      }
      try (DicomJsonReader reader = DicomJsonReader.of(body)) {
        return reader.readDatasets();
      }
    }
  }

  @Override
  public String retrieve(Study study, List<Instance> only, Receiver receiver)
      throws IOException, InterruptedException {
    List<String> paths = new ArrayList<>();
    if (only == null) {
      paths.add("/studies/" + study.uid());
    } else {
      for (Instance i : only) {
        paths.add(
            "/studies/"
                + study.uid()
                + "/series/"
                + i.seriesUid()
                + "/instances/"
                + i.sopInstanceUid());
      }
    }
    List<String> problems = new ArrayList<>();
    for (String path : paths) {
      HttpResponse<InputStream> r = get(path, ACCEPT_AS_STORED);
      try (InputStream body = r.body()) {
        if (r.statusCode() != 200) {
          problems.add("WADO-RS " + path + ": " + refusal(r.statusCode()));
          continue;
        }
        String contentType = r.headers().firstValue("content-type").orElse("");
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
          problems.add("WADO-RS " + path + ": no multipart boundary in '" + contentType + "'");
          continue;
        }
        MultipartRelatedReader reader =
            new MultipartRelatedReader(body, m.group(1) != null ? m.group(1) : m.group(2));
        for (MultipartRelatedReader.Part part = reader.next(); part != null; part = reader.next()) {
          if (!receiver.receive(null, null, null, part.content())) {
            problems.add("WADO-RS " + path + ": part " + reader.partCount() + " not kept");
          }
        }
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private HttpResponse<InputStream> get(String path, String accept)
      throws IOException, InterruptedException {
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", accept);
    if (token != null) {
      rq.header("Authorization", "Bearer " + token);
    }
    return http.send(rq.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Override
  public void close() {
    // HttpClient holds no resources that outlive the run (daemon threads).
  }
}
