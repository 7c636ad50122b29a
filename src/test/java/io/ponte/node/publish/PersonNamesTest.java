package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.junit.jupiter.api.Test;

/** DICOM PN component groups (PS3.5 6.2.1) as the contained Patient's HumanNames. */
class PersonNamesTest {

  static String representation(HumanName name) {
    Extension e = name.getExtensionByUrl(PersonNames.REPRESENTATION);
    return e == null ? null : e.getValue().primitiveValue();
  }

  @Test
  void theFirstGroupIsTheNameAndEachOtherGroupIsMarkedWithItsRepresentation() {
    List<HumanName> names = PersonNames.humanNames("Yamada^Tarou=山田^太郎=やまだ^たろう");
    assertThat(names).hasSize(3);
    assertThat(names.get(0).getFamily()).isEqualTo("Yamada");
    assertThat(names.get(0).getGivenAsSingleString()).isEqualTo("Tarou");
    assertThat(names.get(0).getExtension()).isEmpty();
    assertThat(names.get(1).getFamily()).isEqualTo("山田");
    assertThat(names.get(1).getGivenAsSingleString()).isEqualTo("太郎");
    assertThat(representation(names.get(1))).isEqualTo("IDE");
    assertThat(names.get(2).getFamily()).isEqualTo("やまだ");
    assertThat(names.get(2).getText()).isEqualTo("たろう やまだ");
    assertThat(representation(names.get(2))).isEqualTo("SYL");
  }

  @Test
  void emptyGroupsAreSkippedAndTheFirstNonEmptyOneStaysUnmarked() {
    List<HumanName> names = PersonNames.humanNames("=山田^太郎=やまだ^たろう");
    assertThat(names).extracting(HumanName::getFamily).containsExactly("山田", "やまだ");
    assertThat(representation(names.get(0))).isNull();
    assertThat(representation(names.get(1))).isEqualTo("SYL");
    assertThat(PersonNames.humanNames("Yamada^Tarou==やまだ^たろう"))
        .extracting(PersonNamesTest::representation)
        .containsExactly(null, "SYL");
    assertThat(PersonNames.humanNames("Doe^Jane")).hasSize(1);
    assertThat(PersonNames.humanNames("Doe^Jane=^=")).hasSize(1);
    assertThat(PersonNames.humanNames("^=")).isEmpty();
    assertThat(PersonNames.humanName("=山田^太郎").getFamily()).isEqualTo("山田");
  }
}
