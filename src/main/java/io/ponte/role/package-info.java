/**
 * Which role (hub or node) this process runs, asked through {@code PonteConfig.isHub()/isNode()},
 * and the routing that hides the other role. Imports the JDK, Jakarta and MicroProfile; nothing of
 * Ponte.
 */
package io.ponte.role;
