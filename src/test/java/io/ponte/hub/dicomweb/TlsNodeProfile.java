package io.ponte.hub.dicomweb;

import java.util.List;

/** As {@link RealNodeProfile}, with a node process that serves HTTPS (TlsNodeResource). */
public class TlsNodeProfile extends RealNodeProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(TlsNodeResource.class));
  }
}
