package io.ponte.security;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.concurrent.Callable;

/**
 * Runs work outside an HTTP request as a given identity: a fresh request context whose security
 * identity is that one, so {@link Caller}, the registry, consent and the audit decide exactly as
 * they do for a request of that caller (a DIMSE association at the hub, a clinician's background
 * send). The identity exists only in memory; nothing here is a token anyone could present.
 */
public final class IdentityContext {

  private IdentityContext() {}

  /** Calls {@code work} in a fresh request context whose identity is {@code identity}. */
  public static <T> T call(SecurityIdentity identity, Callable<T> work) throws Exception {
    ManagedContext requestContext = Arc.container().requestContext();
    requestContext.activate();
    try {
      Arc.container().instance(CurrentIdentityAssociation.class).get().setIdentity(identity);
      return work.call();
    } finally {
      requestContext.terminate();
    }
  }
}
