/**
 * The management port: metrics and health on a listener of their own, either role, so that the HTTP
 * port, which clinicians (hub) or the hub (node) reach, tells them none of the process's internals.
 */
package io.ponte.management;
