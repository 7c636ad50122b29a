package io.ponte.node.dicomweb;

import java.util.List;

/** The test multipart parser for tests of other packages: part bodies only. */
public final class MultipartPartsAccess {

  private MultipartPartsAccess() {}

  public static List<byte[]> parse(String contentType, byte[] body) {
    return MultipartParts.parse(contentType, body).stream().map(MultipartParts.Part::body).toList();
  }
}
