package io.ponte.hub.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pages' CSRF check is bound by name ({@link FormPost}), so a page POST without the annotation
 * would go unchecked: every unsafe method of io.ponte.hub.web carries it and consumes URL-encoded
 * forms only (the check refuses anything else, and no page takes multipart/form-data).
 */
class FormPostRulesTest {

  private static final JavaClasses PAGES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.ponte.hub.web");

  @Test
  void everyPagePostIsAFormPostOfAUrlEncodedForm() {
    methods()
        .that()
        .areAnnotatedWith(POST.class)
        .or()
        .areAnnotatedWith(PUT.class)
        .or()
        .areAnnotatedWith(DELETE.class)
        .or()
        .areAnnotatedWith(PATCH.class)
        .should(beCheckedUrlEncodedForms())
        .check(PAGES);
  }

  @Test
  void thePagesHaveFormPostsToCheck() {
    // the rule above holds vacuously if the import finds nothing
    assertThat(
            PAGES.stream()
                .flatMap(c -> c.getMethods().stream())
                .filter(m -> m.isAnnotatedWith(POST.class))
                .count())
        .isGreaterThanOrEqualTo(9);
  }

  private static ArchCondition<JavaMethod> beCheckedUrlEncodedForms() {
    return new ArchCondition<>("be @FormPost and consume application/x-www-form-urlencoded only") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        boolean formPost = method.isAnnotatedWith(FormPost.class);
        boolean urlEncoded =
            method.isAnnotatedWith(Consumes.class)
                && List.of(method.getAnnotationOfType(Consumes.class).value())
                    .equals(List.of(MediaType.APPLICATION_FORM_URLENCODED));
        events.add(
            new SimpleConditionEvent(
                method,
                formPost && urlEncoded,
                method.getFullName()
                    + (formPost ? "" : " lacks @FormPost")
                    + (urlEncoded ? "" : " does not consume URL-encoded forms only")));
      }
    };
  }
}
