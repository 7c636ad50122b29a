package io.ponte.hub.consent;

/**
 * {@code POST /api/emergency-access}: the patient by any identifier the hub knows ({@code
 * system|value}, {@code Patient/<id>} or {@code urn:ponte:regional-id|REG-…}), why (required), and
 * for how long (ISO-8601, e.g. {@code PT4H}; default 4 h, at most 24 h).
 */
public record EmergencyAccessRequest(String patient, String reason, String duration) {}
