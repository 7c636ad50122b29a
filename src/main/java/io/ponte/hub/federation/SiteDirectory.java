package io.ponte.hub.federation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where each site's node serves DICOMweb to the hub: {@code ponte.hub.sites.<site>.url=http://node:8080}.
 * Private addresses live only here; nothing the hub hands out ever names them.
 */
@ConfigMapping(prefix = "ponte.hub.sites")
public interface SiteDirectory {

    @WithParentName
    Map<String, Site> sites();

    interface Site {
        /** The node's base URL (scheme, host, port, optional path); {@code /dicomweb/...} is appended. */
        URI url();
    }

    default Optional<URI> baseUrl(String site) {
        Site s = sites().get(site);
        return s == null ? Optional.empty() : Optional.of(s.url());
    }
}
