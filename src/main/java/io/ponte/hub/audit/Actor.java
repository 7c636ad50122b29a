package io.ponte.hub.audit;

import java.util.List;

/**
 * Who acted, from the verified token and the connection: the "agent" and "source" of an audit
 * record. {@code tokenId} and {@code issuer} are the token's {@code jti} and {@code iss}, recorded
 * by BALP's "Minimal" OAuth pattern with {@code subject} and {@code clientId}; {@code requestId} is
 * the request's {@code X-Request-Id}. {@code name} is the person's name from the token's {@code
 * name} claim (null for a client without one): what pages show of who acted.
 */
public record Actor(
    String subject,
    String username,
    String name,
    String clientId,
    String organization,
    List<String> roles,
    String site,
    String patientRegionalId,
    String purpose,
    String clientAddress,
    String requestId,
    String tokenId,
    String issuer) {}
