/**
 * Who the signed-in person is at the hub (GET /api/me), for the web UI. May import shared packages
 * (security); no other hub package, never io.ponte.node.
 */
package io.ponte.hub.account;
