/**
 * The authority's dashboard at {@code /authority}: figures, charts, CSV, emergency reviews. Imports
 * hub.web, hub.oversight and shared packages; never images, never node.
 */
package io.ponte.hub.web.authority;
