package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ponte.text.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * Copies a node's DICOM JSON to the client token by token (never the whole document in memory),
 * pointing every BulkDataURI and RetrieveURL (0008,1190) at the hub: a node's address is private
 * and a viewer can only reach the hub. {@code .../dicomweb/<rest>} becomes {@code
 * <hub>/dicomweb/<rest>}; a relative URI is resolved against the hub URL the client asked for,
 * which mirrors the node's path.
 */
public final class MetadataUrlRewriter {

  static final String RETRIEVE_URL = "00081190";
  private static final JsonFactory JSON = new JsonFactory();

  private final String hubBase;
  private final URI requestUri;

  /**
   * @param hubBase the hub's public base URL, e.g. {@code https://hub.example}; @param requestUri
   *     the hub URL asked for
   */
  public MetadataUrlRewriter(String hubBase, URI requestUri) {
    this.hubBase = Urls.withoutTrailingSlash(hubBase);
    this.requestUri = requestUri;
  }

  public void copy(InputStream in, OutputStream out) throws IOException {
    try (JsonParser p = JSON.createParser(in);
        JsonGenerator g = JSON.createGenerator(out)) {
      // Field names seen on the way down: a BulkDataURI member, or a Value array of a RetrieveURL
      // element.
      String field = null;
      int retrieveUrlDepth = -1;
      int depth = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> {
            depth++;
            if (t == JsonToken.START_OBJECT && RETRIEVE_URL.equals(field)) {
              retrieveUrlDepth = depth;
            }
            g.copyCurrentEvent(p);
            field = null;
          }
          case END_OBJECT, END_ARRAY -> {
            if (depth == retrieveUrlDepth && t == JsonToken.END_OBJECT) {
              retrieveUrlDepth = -1;
            }
            depth--;
            g.copyCurrentEvent(p);
          }
          case FIELD_NAME -> {
            field = p.currentName();
            g.copyCurrentEvent(p);
          }
          case VALUE_STRING -> {
            boolean url =
                "BulkDataURI".equals(field)
                    || (retrieveUrlDepth > 0
                        && "Value"
                            .equals(
                                p.getParsingContext().getParent() == null
                                    ? null
                                    : p.getParsingContext().getParent().getCurrentName()));
            g.writeString(url ? rewrite(p.getText()) : p.getText());
            field = null;
          }
          default -> {
            g.copyCurrentEvent(p);
            field = null;
          }
        }
      }
    }
  }

  /** A node URL (absolute or relative) as the same resource at the hub. */
  String rewrite(String url) {
    int at = url.indexOf("/dicomweb/");
    if (at >= 0) {
      return hubBase + url.substring(at);
    }
    try {
      URI uri = URI.create(url);
      if (!uri.isAbsolute()) {
        return requestUri.resolve(uri).toString();
      }
    } catch (IllegalArgumentException e) {
      // not a URI: leave it unchanged rather than invent one
    }
    return url;
  }
}
