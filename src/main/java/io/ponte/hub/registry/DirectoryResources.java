package io.ponte.hub.registry;

import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR {@code /fhir/Organization} and {@code /fhir/Endpoint}: the federation's directory, readable by every Ponte role
 * (the authority included; it holds no patient data, so reads are not audited).
 */
final class DirectoryResources {

    private DirectoryResources() {
    }

    static <T extends Resource> Bundle search(SearchBundles bundles, String type, SearchParams params, List<T> all,
            Predicate<T> filter) {
        List<T> matches = all.stream().filter(filter).toList();
        int count = params.count();
        int offset = Math.min(params.offset(), matches.size());
        List<T> page = matches.subList(offset, Math.min(matches.size(), offset + count));
        return bundles.searchset(type, params, page, matches.size(), count, offset);
    }

    static boolean anyMatches(SearchParams params, String name, Predicate<String> test) {
        for (String value : params.all(name)) {
            if (SearchParams.orValues(value).stream().noneMatch(test)) {
                return false;
            }
        }
        return true;
    }
}
