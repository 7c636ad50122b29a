/**
 * Who is calling: realm roles, SMART scopes and the caller's organisation from the token. Imports
 * the JDK, Quarkus security and {@code io.ponte.error}; never hub or node.
 */
package io.ponte.security;
