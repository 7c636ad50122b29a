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
  void theWholeOfAnnexLIsCodedNotOnlyTheCommonTerms() {
    assertThat(BodyParts.size()).isGreaterThan(300);
    // Terms from across the table, including its own spellings and a veterinary addition.
    assertThat(BodyParts.bodySite("WRIST").getCode()).isEqualTo("74670003");
    assertThat(BodyParts.bodySite("PELVISLOWEXTREMT").getCode()).isEqualTo("1231522001");
    assertThat(BodyParts.bodySite("OCCPITALA").getDisplay()).isEqualTo("Occipital artery");
    assertThat(BodyParts.bodySite("4THVENTRICLE").getCode()).isEqualTo("35918002");
    assertThat(BodyParts.bodySite("TAIL").getCode()).isEqualTo("18149002");
    // Where a term is listed for human and veterinary anatomy, the human row holds.
    assertThat(BodyParts.bodySite("JAW").getCode()).isEqualTo("661005");
  }

  @Test
  void anAnnexLTermWithoutACodeShowsItsMeaning() {
    Coding fetalHeart = BodyParts.bodySite("FETALHEART");
    assertThat(fetalHeart.hasSystem()).isFalse();
    assertThat(fetalHeart.hasCode()).isFalse();
    assertThat(fetalHeart.getDisplay()).isEqualTo("Fetal heart");
  }

  @Test
  void anotherWellFormedTermIsKeptAsItsDisplayWithoutACode() {
    Coding local = BodyParts.bodySite("SOFT TISSUE");
    assertThat(local.hasSystem()).isFalse();
    assertThat(local.hasCode()).isFalse();
    assertThat(local.getDisplay()).isEqualTo("SOFT TISSUE");
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
