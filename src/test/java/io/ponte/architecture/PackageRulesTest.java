package io.ponte.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: the two roles
 * never import each other, shared packages never import a role, and no two packages depend on each
 * other.
 */
class PackageRulesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.ponte");
  }

  @Test
  void hubNeverImportsNode() {
    noClasses()
        .that()
        .resideInAPackage("io.ponte.hub..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.ponte.node..")
        .check(classes);
  }

  @Test
  void nodeNeverImportsHub() {
    noClasses()
        .that()
        .resideInAPackage("io.ponte.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.ponte.hub..")
        .check(classes);
  }

  @Test
  void sharedPackagesNeverImportARole() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.ponte.hub..", "io.ponte.node..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.ponte.hub..", "io.ponte.node..")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
  }

  /** One slice per package, io.ponte itself included (a "matching" pattern would leave it out). */
  private static final SliceAssignment BY_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String pkg = javaClass.getPackageName();
          return pkg.equals("io.ponte") || pkg.startsWith("io.ponte.")
              ? SliceIdentifier.of(pkg)
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "Ponte's packages";
        }
      };
}
