package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The way on from the "asks first" page is the address the browser asked for, on this hub: never
 * another server's ("//host" is one).
 */
class CrossSiteOpeningTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/hub/clinician/patients/7 | /clinician/patients/7",
        "/hub/?identifier=M%201&site=hospital-a | /?identifier=M%201&site=hospital-a",
        "/hub/authority/identity | /authority/identity",
        "/hub//evil.example/x?y=1 | /evil.example/x?y=1",
        "/hub///evil.example | /evil.example",
        "/clinician/patients/7 | /",
      })
  void theWayOnIsThisHubsOwnAddress(String requested, String expected) {
    assertThat(CrossSiteOpening.publicAddress(requestFor(requested))).isEqualTo(expected);
  }

  static UriInfo requestFor(String uri) {
    return (UriInfo)
        Proxy.newProxyInstance(
            UriInfo.class.getClassLoader(),
            new Class<?>[] {UriInfo.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getRequestUri")) {
                return URI.create("http://hub.example" + uri);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
