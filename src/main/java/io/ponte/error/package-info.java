/**
 * The one error vocabulary: stable {@code ErrorCode}s, the HTTP-status mapping, problem+json and
 * its mappers, quoting of request values. Imports the JDK, Jakarta REST and Quarkus; nothing of
 * Ponte.
 */
package io.ponte.error;
