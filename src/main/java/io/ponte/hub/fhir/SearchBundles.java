package io.ponte.hub.fhir;

import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * searchset Bundles with absolute fullUrls and self/next/previous links on the hub's public URL.
 */
@ApplicationScoped
public class SearchBundles {

  @Inject PonteConfig ponte;

  /** The hub's FHIR base on its public URL. */
  public String fhirBase() {
    return Urls.withoutTrailingSlash(ponte.publicUrl()) + "/fhir";
  }

  public Bundle searchset(
      String type,
      SearchParams params,
      List<? extends Resource> page,
      long total,
      int count,
      int offset) {
    return searchset(type, params, page, total, offset + count < total, count, offset);
  }

  /**
   * {@code total} null when unknown (too many to count cheaply); {@code more} says whether a next
   * page exists.
   */
  public Bundle searchset(
      String type,
      SearchParams params,
      List<? extends Resource> page,
      Long total,
      boolean more,
      int count,
      int offset) {
    Bundle bundle = new Bundle();
    bundle.setId(UUID.randomUUID().toString());
    bundle.getMeta().setLastUpdated(new Date());
    bundle.setType(Bundle.BundleType.SEARCHSET);
    if (total != null) {
      bundle.setTotal((int) Math.min(total, Integer.MAX_VALUE));
    }
    String base = fhirBase() + "/" + type;
    bundle.addLink().setRelation("self").setUrl(base + "?" + params.queryString(count, offset));
    if (count > 0 && more) {
      bundle
          .addLink()
          .setRelation("next")
          .setUrl(base + "?" + params.queryString(count, offset + count));
    }
    if (count > 0 && offset > 0) {
      bundle
          .addLink()
          .setRelation("previous")
          .setUrl(base + "?" + params.queryString(count, Math.max(0, offset - count)));
    }
    for (Resource resource : page) {
      bundle
          .addEntry()
          .setFullUrl(fhirBase() + "/" + type + "/" + resource.getIdElement().getIdPart())
          .setResource(resource)
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    return bundle;
  }
}
