package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tag} and the data dictionary are two hand-kept lists: every Tag constant must be in the
 * dictionary under its own keyword, or implicit VR readers and the dump tool disagree with the
 * code.
 */
class TagDictionaryTest {

  @Test
  void everyTagConstantIsInTheDictionaryUnderItsKeyword() throws IllegalAccessException {
    List<String> disagreements = new ArrayList<>();
    int constants = 0;
    for (Field f : Tag.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
        continue;
      }
      constants++;
      int tag = f.getInt(null);
      if (!ElementDictionary.contains(tag)) {
        disagreements.add(f.getName() + " " + Tag.toString(tag) + " is not in the dictionary");
      } else if (!f.getName().equals(ElementDictionary.keywordOf(tag))) {
        disagreements.add(
            f.getName()
                + " "
                + Tag.toString(tag)
                + " is "
                + ElementDictionary.keywordOf(tag)
                + " in the dictionary");
      }
    }
    assertThat(constants).isGreaterThan(300);
    assertThat(disagreements).isEmpty();
  }

  @Test
  void everyDictionaryKeywordLeadsBackToItsTag() {
    for (int tag : ElementDictionary.tags()) {
      if (ElementDictionary.keywordOf(tag) == null) {
        continue; // a few retired PS3.6 rows have no keyword; they are there for their VR
      }
      assertThat(ElementDictionary.tagForKeyword(ElementDictionary.keywordOf(tag)))
          .as(Tag.toString(tag))
          .isEqualTo(tag);
    }
  }
}
