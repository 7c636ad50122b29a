package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.web.authority.AuthorityMessages;
import io.ponte.hub.web.clinician.ClinicianMessages;
import io.ponte.hub.web.portal.PortalMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message has both languages: the English keys (the bundle interface) and the Portuguese
 * ({@code messages/<bundle>_pt.properties}) are the same set, so no page falls back to English
 * half-way.
 */
class WebMessagesTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        WebMessages.class,
        PortalMessages.class,
        ClinicianMessages.class,
        AuthorityMessages.class
      })
  void portugueseAndEnglishHaveTheSameKeys(Class<?> bundle) throws IOException {
    String name = bundle.getAnnotation(io.quarkus.qute.i18n.MessageBundle.class).value();
    Set<String> english =
        Arrays.stream(bundle.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(io.quarkus.qute.i18n.Message.class))
            .map(Method::getName)
            .collect(Collectors.toSet());
    Properties portuguese = new Properties();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("messages/" + name + "_pt.properties")) {
      assertThat(in).as("messages/%s_pt.properties", name).isNotNull();
      portuguese.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    assertThat(portuguese.stringPropertyNames()).isEqualTo(english);
    assertThat(english).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "|pt-PT,pt;q=0.9|pt",
        "|en-GB,en;q=0.8|en",
        "|pt-BR|pt",
        "|fr-FR,en;q=0.5|en",
        "|fr-FR|pt",
        "||pt",
        "en|pt-PT|en",
        "xx|en|en",
        "|;;garbage==|pt"
      })
  void theLanguageComesFromTheCookieThenTheBrowserThenTheDefault(String row) {
    String[] cells = row.split("\\|", -1);
    String cookie = cells[0].isEmpty() ? null : cells[0];
    String accept = cells[1].isEmpty() ? null : cells[1];
    assertThat(WebLocales.resolve(cookie, accept, "pt")).isEqualTo(cells[2]);
  }
}
