package io.ponte.hub.consent;

import java.time.Instant;

/**
 * Who wants to see what, and when: the requesting organisation and user (a clinician's token
 * claims), the site that owns the study, and the study's person.
 */
public record AccessRequest(
    String organization, String username, String owningSite, Person person, Instant at) {}
