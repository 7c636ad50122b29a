package io.ponte.hub.identity;

import io.ponte.text.NameFolding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A person's name as the matcher compares it: family and given names folded (accents, case), split
 * into words, without particles ("da", "dos", "van", ...) and initials, in no particular order, so
 * that {@code GONÇALVES^MARIA}, {@code Maria Goncalves} and {@code Gonçalves da Silva^Maria} share
 * their words.
 */
final class NameTokens {

  /** Particles of the region's names (Portuguese, Spanish, French, Italian, Dutch, German). */
  static final Set<String> PARTICLES =
      Set.of(
          "da", "das", "de", "do", "dos", "e", "y", "del", "della", "di", "du", "des", "la", "le",
          "van", "von", "der", "den", "ter", "zu");

  private NameTokens() {}

  /** The words of a name, folded, particles and single letters dropped. */
  static List<String> of(String family, String given) {
    List<String> out = new ArrayList<>();
    add(out, family);
    add(out, given);
    return out;
  }

  private static void add(List<String> out, String part) {
    if (part == null) {
      return;
    }
    for (String word : NameFolding.fold(part).split("[^a-z0-9]+")) {
      if (word.length() > 1 && !PARTICLES.contains(word)) {
        out.add(word);
      }
    }
  }
}
