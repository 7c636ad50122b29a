package io.ponte.security;

/** Keycloak realm roles (realm-config/ponte-realm.json), as they appear in realm_access.roles. */
public final class Roles {
  public static final String CLINICIAN = "clinician";
  public static final String PATIENT = "patient";
  public static final String AUTHORITY = "authority";
  public static final String ADMIN = "admin";

  /** A hospital node's service account: publishes its own site's studies. */
  public static final String NODE = "node";

  /** The hub's service account: reads a node's studies on a user's behalf. */
  public static final String HUB = "hub";

  /** A hospital system allowed to send studies to its own node (STOW-RS). */
  public static final String INGEST = "ingest";

  private Roles() {}
}
