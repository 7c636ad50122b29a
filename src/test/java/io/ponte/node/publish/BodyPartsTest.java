package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class BodyPartsTest {

  @Test
  void anAnnexLTermIsCodedInSnomed() {
    Coding chest = BodyParts.bodySite(" chest ");
    assertThat(chest.getSystem()).isEqualTo(BodyParts.SNOMED);
    assertThat(chest.getCode()).isEqualTo("43799004");
    assertThat(chest.getDisplay()).isEqualTo("Chest");
    assertThat(BodyParts.bodySite("LSPINE").getDisplay()).isEqualTo("Lumbar spine");
  }

  @Test
  void anotherWellFormedTermIsKeptAsItsDisplayWithoutACode() {
    Coding wrist = BodyParts.bodySite("WRIST");
    assertThat(wrist.hasSystem()).isFalse();
    assertThat(wrist.hasCode()).isFalse();
    assertThat(wrist.getDisplay()).isEqualTo("WRIST");
  }

  @Test
  void noneBlankOrMalformedIsNoBodySite() {
    assertThat(BodyParts.bodySite(null)).isNull();
    assertThat(BodyParts.bodySite("  ")).isNull();
    assertThat(BodyParts.bodySite("<script>")).isNull();
    assertThat(BodyParts.bodySite("A".repeat(17))).isNull();
  }

  @Test
  void eachCallGetsItsOwnCoding() {
    BodyParts.bodySite("KNEE").setDisplay("changed");
    assertThat(BodyParts.bodySite("KNEE").getDisplay()).isEqualTo("Knee");
  }
}
