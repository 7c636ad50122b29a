/**
 * Request correlation shared by hub and node: the {@code X-Request-Id} every response carries and
 * the logs and audit records name. Imports no hub or node package.
 */
package io.ponte.request;
