package io.ponte.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commands {@code ponte.sh up}'s ready block tells a person to paste work as printed, on a
 * machine where nothing ran before.
 */
class ReadyBlockTest {

  static final Path PONTE_SH = Path.of("src/main/scripts/ponte.sh");

  @Test
  void theSendToPacsLineCreatesTheDirectoryStorescpWritesTo() throws IOException {
    String line =
        Files.readAllLines(PONTE_SH).stream()
            .filter(l -> l.contains("Send to my PACS") && l.contains("storescp"))
            .findFirst()
            .orElseThrow();
    Matcher od = Pattern.compile("storescp .*-od (\\S+)").matcher(line);
    assertThat(od.find()).as(line).isTrue();
    // dcmtk's storescp exits with "specified output directory does not exist" otherwise
    assertThat(line.substring(0, od.start())).contains("mkdir -p " + od.group(1) + " && ");
  }
}
