package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.fhir.SearchBundles;
import io.ponte.hub.fhir.SearchParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * What {@code /fhir/Organization} and {@code /fhir/Endpoint} share: the federation's directory,
 * readable by every Ponte role (the authority included; it holds no patient data, so reads are not
 * audited), searched in memory.
 */
@ApplicationScoped
class DirectoryResources {

  @Inject RegistryAccess access;

  @Inject SearchBundles bundles;

  /**
   * A search page of the resources {@code all} lists, filtered by the request's parameters (only
   * {@code supported} ones allowed); the directory is consulted only after the caller's access is
   * checked.
   */
  <T extends Resource> Bundle search(
      String type,
      UriInfo uri,
      Set<String> supported,
      Supplier<List<T>> all,
      BiPredicate<SearchParams, T> filter) {
    access.requireDirectoryReader();
    SearchParams params = SearchParams.of(uri.getQueryParameters(), supported);
    List<T> matches = all.get().stream().filter(r -> filter.test(params, r)).toList();
    int count = params.count();
    int offset = Math.min(params.offset(), matches.size());
    List<T> page = matches.subList(offset, Math.min(matches.size(), offset + count));
    return bundles.searchset(type, params, page, matches.size(), count, offset);
  }

  /** A read by id; 404 when the directory has no such resource. */
  <T extends Resource> T read(String type, String id, Function<String, Optional<T>> lookup) {
    access.requireDirectoryReader();
    return lookup
        .apply(id)
        .orElseThrow(() -> new ProblemException(ErrorCode.NOT_FOUND, "no " + type + "/" + id));
  }

  /**
   * True when every occurrence of parameter {@code name} has a comma-separated value that passes
   * {@code test}.
   */
  static boolean anyMatches(SearchParams params, String name, Predicate<String> test) {
    for (String value : params.all(name)) {
      if (SearchParams.orValues(value).stream().noneMatch(test)) {
        return false;
      }
    }
    return true;
  }
}
