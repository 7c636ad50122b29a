/**
 * Request correlation shared by hub and node: the {@code X-Request-Id} every response carries and
 * the logs and audit records name; and the edge check that refuses malformed requests (control
 * characters, an unparsable Accept) with 400 before any resource. Imports {@code io.ponte.error},
 * no hub or node package.
 */
package io.ponte.request;
