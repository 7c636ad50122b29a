package io.ponte.hub.identity;

import io.ponte.text.NameFolding;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded synthetic region for measuring the matcher: persons known at two to four of eight sites,
 * each site writing the person down its own way (accents dropped, upper case, family and given
 * swapped, a second family name or a particle dropped, a second given name dropped, one typo, day
 * and month swapped or one digit wrong in the birth date, sex unknown), with twins (same family
 * name and birth date, another given name) and namesakes (the common names of the region, chosen by
 * a Zipf law, and some full names copied onto other birth dates).
 */
final class SyntheticPopulation {

  static final int SITES = 8;

  /** One site's record of a person; {@code person} is the truth the matcher never sees. */
  record Record(int person, String site, Demographics demographics) {}

  private static final String[] FAMILY = {
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Oliveira",
    "Costa",
    "Rodrigues",
    "Martins",
    "Jesus",
    "Sousa",
    "Fernandes",
    "Gonçalves",
    "Gomes",
    "Lopes",
    "Marques",
    "Alves",
    "Almeida",
    "Ribeiro",
    "Pinto",
    "Carvalho",
    "Teixeira",
    "Moreira",
    "Correia",
    "Mendes",
    "Nunes",
    "Soares",
    "Vieira",
    "Monteiro",
    "Cardoso",
    "Rocha",
    "Raposo",
    "Neves",
    "Coelho",
    "Cruz",
    "Cunha",
    "Pires",
    "Ramos",
    "Reis",
    "Simões",
    "Antunes",
    "Matos",
    "Fonseca",
    "Machado",
    "Araújo",
    "Barbosa",
    "Tavares",
    "Lourenço",
    "Castro",
    "Figueiredo",
    "Azevedo",
    "Freitas",
    "Magalhães",
    "Brandão",
    "Falcão",
    "Conceição",
    "Assunção",
    "Guimarães",
    "Dubois",
    "Müller",
    "Nogueira"
  };
  private static final String[] FEMALE = {
    "Maria",
    "Ana",
    "Joana",
    "Inês",
    "Beatriz",
    "Mariana",
    "Sofia",
    "Leonor",
    "Carolina",
    "Rita",
    "Catarina",
    "Helena",
    "Teresa",
    "Luísa",
    "Francisca",
    "Marta",
    "Sara",
    "Patrícia",
    "Cláudia",
    "Filipa",
    "Mónica",
    "Raquel",
    "Susana",
    "Vânia",
    "Hélène",
    "Margarida",
    "Isabel",
    "Fernanda",
    "Graça",
    "Lúcia"
  };
  private static final String[] MALE = {
    "João", "José", "António", "Francisco", "Manuel", "Pedro", "Tiago", "Rui", "Miguel", "Luís",
    "Carlos", "Paulo", "Jorge", "Nuno", "Ricardo", "Bruno", "André", "Diogo", "Gonçalo", "Rafael",
    "Tomás", "Duarte", "Henrique", "Filipe", "Vítor", "Sérgio", "Hugo", "Fábio", "Mário", "Joaquim"
  };
  private static final String[] PARTICLE = {"da", "dos", "de", "das"};

  private record Person(String family, String given, LocalDate birth, String sex) {}

  private final Random random;
  private int twins;
  private int namesakes;

  SyntheticPopulation(long seed) {
    this.random = new Random(seed);
  }

  int twins() {
    return twins;
  }

  int namesakes() {
    return namesakes;
  }

  /** The records of {@code persons} persons, in publication order (shuffled). */
  List<Record> generate(int persons) {
    List<Person> people = new ArrayList<>();
    while (people.size() < persons) {
      Person p = person();
      people.add(p);
      if (people.size() < persons && random.nextDouble() < 0.02) {
        people.add(twinOf(p));
        twins++;
      } else if (people.size() < persons && random.nextDouble() < 0.01) {
        people.add(new Person(p.family(), p.given(), birth(), p.sex()));
        namesakes++;
      }
    }
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      List<Integer> sites = new ArrayList<>();
      for (int s = 0; s < SITES; s++) {
        sites.add(s);
      }
      Collections.shuffle(sites, random);
      int count = 2 + random.nextInt(3);
      for (int k = 0; k < count; k++) {
        records.add(new Record(i, "site-" + sites.get(k), written(people.get(i))));
      }
    }
    Collections.shuffle(records, random);
    return records;
  }

  private Person person() {
    String sex = random.nextBoolean() ? "female" : "male";
    String given = pick(sex.equals("female") ? FEMALE : MALE);
    if (random.nextDouble() < 0.4) {
      given += " " + pick(sex.equals("female") ? FEMALE : MALE);
    }
    String family = zipf(FAMILY);
    if (random.nextDouble() < 0.6) {
      String second = zipf(FAMILY);
      family =
          random.nextDouble() < 0.3
              ? family + " " + PARTICLE[random.nextInt(PARTICLE.length)] + " " + second
              : family + " " + second;
    }
    return new Person(family, given, birth(), sex);
  }

  private Person twinOf(Person p) {
    String sex = random.nextBoolean() ? p.sex() : (p.sex().equals("male") ? "female" : "male");
    String given;
    do {
      given = pick(sex.equals("female") ? FEMALE : MALE);
    } while (p.given().startsWith(given));
    return new Person(p.family(), given, p.birth(), sex);
  }

  private LocalDate birth() {
    return LocalDate.of(1930, 1, 1).plusDays(random.nextInt(91 * 365));
  }

  /** How one site writes the person down. */
  private Demographics written(Person p) {
    String family = p.family();
    String given = p.given();
    if (random.nextDouble() < 0.15) {
      family = dropSecondOrParticle(family);
    }
    if (random.nextDouble() < 0.10 && given.contains(" ")) {
      given = given.substring(0, given.indexOf(' '));
    }
    if (random.nextDouble() < 0.06) {
      if (random.nextBoolean()) {
        family = typo(family);
      } else {
        given = typo(given);
      }
    }
    if (random.nextDouble() < 0.25) {
      family = plain(family);
      given = plain(given);
    }
    if (random.nextDouble() < 0.15) {
      family = family.toUpperCase(Locale.ROOT);
      given = given.toUpperCase(Locale.ROOT);
    }
    if (random.nextDouble() < 0.08) {
      String t = family;
      family = given;
      given = t;
    }
    LocalDate birth = p.birth();
    double d = random.nextDouble();
    if (d < 0.02) {
      birth = MatchScorer.swapped(birth).orElse(birth);
    } else if (d < 0.04) {
      birth = oneDigit(birth);
    }
    String sex = random.nextDouble() < 0.03 ? null : p.sex();
    return new Demographics(family, given, birth, sex);
  }

  private String dropSecondOrParticle(String family) {
    String[] words = family.split(" ");
    if (words.length == 3) {
      return words[0] + " " + words[2]; // the particle goes
    }
    if (words.length == 2) {
      return random.nextBoolean() ? words[0] : words[1];
    }
    return family;
  }

  private String typo(String name) {
    char[] c = name.toCharArray();
    int i = 1 + random.nextInt(Math.max(1, c.length - 2));
    if (i >= c.length - 1 || c[i] == ' ' || c[i + 1] == ' ') {
      return name;
    }
    return switch (random.nextInt(4)) {
      case 0 -> name.substring(0, i) + (char) ('a' + random.nextInt(26)) + name.substring(i + 1);
      case 1 -> name.substring(0, i) + name.substring(i + 1);
      case 2 -> name.substring(0, i) + c[i] + name.substring(i);
      default -> name.substring(0, i) + c[i + 1] + c[i] + name.substring(i + 2);
    };
  }

  private LocalDate oneDigit(LocalDate birth) {
    for (int attempt = 0; attempt < 20; attempt++) {
      char[] digits = MatchScorer.digits(birth).toCharArray();
      int i = 2 + random.nextInt(6); // not the century
      digits[i] = (char) ('0' + random.nextInt(10));
      try {
        String s = new String(digits);
        LocalDate d =
            LocalDate.of(
                Integer.parseInt(s.substring(0, 4)),
                Integer.parseInt(s.substring(4, 6)),
                Integer.parseInt(s.substring(6, 8)));
        if (!d.equals(birth)) {
          return d;
        }
      } catch (java.time.DateTimeException e) {
        // try another digit
      }
    }
    return birth;
  }

  /** Accents dropped, capitals kept (a site whose system cannot write them). */
  private static String plain(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      String c = String.valueOf(s.charAt(i));
      String f = NameFolding.fold(c);
      out.append(Character.isUpperCase(s.charAt(i)) ? f.toUpperCase(Locale.ROOT) : f);
    }
    return out.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Rank r chosen with weight 1/(r+1): a few names are very common, as in the region. */
  private String zipf(String[] values) {
    double total = 0;
    for (int r = 0; r < values.length; r++) {
      total += 1.0 / (r + 1);
    }
    double x = random.nextDouble() * total;
    for (int r = 0; r < values.length; r++) {
      x -= 1.0 / (r + 1);
      if (x <= 0) {
        return values[r];
      }
    }
    return values[values.length - 1];
  }
}
