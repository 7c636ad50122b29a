package io.ponte.hub.audit;

import io.ponte.fhir.FhirMediaTypes;
import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

/**
 * {@code GET /fhir/AuditEvent}: the audit trail as BALP AuditEvents, a searchset Bundle newest
 * first with a keyset {@code next} link, or CSV ({@code _format=csv} or {@code Accept: text/csv})
 * with the same rows. Who may read what is decided by {@link AuditEventSearch}.
 */
@Path("/hub/fhir/AuditEvent")
@Authenticated
public class AuditEventResource {

  static final String CSV = "text/csv";

  @Inject AuditEventSearch search;

  @Inject PonteConfig ponte;

  @GET
  @Produces({FhirMediaTypes.FHIR_JSON, MediaType.APPLICATION_JSON, CSV})
  public Response search(@Context UriInfo uri, @Context HttpHeaders headers) {
    MultivaluedMap<String, String> params = uri.getQueryParameters();
    AuditEventSearch.Page page = search.search(Map.copyOf(params));
    boolean csv =
        page.csv()
            || headers.getAcceptableMediaTypes().stream()
                .findFirst()
                .map(t -> t.isCompatible(MediaType.valueOf(CSV)) && !t.isWildcardType())
                .orElse(false);
    if (csv) {
      StringBuilder out = new StringBuilder(AuditEventRenderer.CSV_HEADER).append("\r\n");
      for (AuditRecordEntity r : page.rows()) {
        out.append(AuditEventRenderer.csv(r)).append("\r\n");
      }
      Response.ResponseBuilder b =
          Response.ok(out.toString(), CSV + "; charset=utf-8")
              .header("Content-Disposition", "attachment; filename=\"audit-events.csv\"");
      if (page.more()) {
        b.link(next(uri, page.nextCursor()), "next");
      }
      return b.build();
    }
    String base = Urls.withoutTrailingSlash(ponte.publicUrl()) + "/fhir";
    String server = "Ponte hub " + Urls.withoutTrailingSlash(ponte.publicUrl());
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    bundle.addLink().setRelation("self").setUrl(base + "/AuditEvent" + query(uri, null));
    if (page.more()) {
      bundle.addLink().setRelation("next").setUrl(next(uri, page.nextCursor()).toString());
    }
    for (AuditRecordEntity r : page.rows()) {
      bundle
          .addEntry()
          .setFullUrl(base + "/AuditEvent/" + r.seq)
          .setResource(AuditEventRenderer.render(r, server))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return Response.ok(bundle, FhirMediaTypes.FHIR_JSON_TYPE).build();
  }

  private java.net.URI next(UriInfo uri, Long cursor) {
    return java.net.URI.create(
        Urls.withoutTrailingSlash(ponte.publicUrl()) + "/fhir/AuditEvent" + query(uri, cursor));
  }

  /** The caller's query with {@code _cursor} replaced (or dropped when null). */
  private static String query(UriInfo uri, Long cursor) {
    UriBuilder b = UriBuilder.fromPath("");
    for (Map.Entry<String, List<String>> e : uri.getQueryParameters().entrySet()) {
      if (!e.getKey().equals("_cursor")) {
        b.queryParam(e.getKey(), e.getValue().toArray());
      }
    }
    if (cursor != null) {
      b.queryParam("_cursor", cursor);
    }
    String q = b.build().getRawQuery();
    return q == null ? "" : "?" + q;
  }
}
