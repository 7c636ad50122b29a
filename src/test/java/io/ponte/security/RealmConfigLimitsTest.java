package io.ponte.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo realm Keycloak imports at start: a description longer than Keycloak's column (255
 * characters, e.g. CLIENT.DESCRIPTION) makes the import fail and Keycloak refuse to start, which a
 * test run reusing an already started Keycloak does not see.
 */
class RealmConfigLimitsTest {

  private static final int KEYCLOAK_DESCRIPTION_COLUMN = 255;

  @Test
  void everyDescriptionFitsKeycloaksColumn() throws IOException {
    JsonNode realm = new ObjectMapper().readTree(Path.of("realm-config/ponte-realm.json").toFile());
    List<String> tooLong = new ArrayList<>();
    collect(realm, "", tooLong);
    assertThat(tooLong).isEmpty();
  }

  private static void collect(JsonNode node, String where, List<String> tooLong) {
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().equals("description")
                  && e.getValue().isTextual()
                  && e.getValue().asText().length() > KEYCLOAK_DESCRIPTION_COLUMN) {
                tooLong.add(where + " (" + e.getValue().asText().length() + " characters)");
              }
              collect(e.getValue(), where + "/" + e.getKey(), tooLong);
            });
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      JsonNode item = node.get(i);
      String name = item.path("clientId").asText(item.path("name").asText(Integer.toString(i)));
      collect(item, where + "/" + name, tooLong);
    }
  }
}
