package io.ponte.hub.audit;

import java.util.List;

/**
 * Who acted, from the verified token and the connection: the "agent" and "source" of an audit
 * record.
 */
public record Actor(
    String subject,
    String username,
    String clientId,
    String organization,
    List<String> roles,
    String site,
    String patientRegionalId,
    String purpose,
    String clientAddress) {}
