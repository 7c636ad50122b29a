package io.ponte.hub.identity;

import java.util.List;

/** A regional id and the local identifiers linked under it (the admin API's body). */
public record LinkSet(String regionalId, List<Linked> identifiers) {

  public record Linked(String system, String value, String patient, String site) {}
}
