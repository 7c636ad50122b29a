package io.ponte.stream;

import java.io.IOException;

/** The request body is not a well-formed multipart/related body (RFC 2046 / RFC 2387). */
public class MalformedMultipartException extends IOException {

  public MalformedMultipartException(String message) {
    super(message);
  }
}
