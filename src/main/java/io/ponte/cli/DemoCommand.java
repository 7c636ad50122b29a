package io.ponte.cli;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.fhir.IdentifierSystems;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte demo samples --out DIR}: writes the demo federation's studies as DICOM files, one
 * folder per site (sent to each node by storescu in the bring-up), and the identity links the hub
 * should know, as the bodies of {@code PUT /api/identity/links/{regionalId}}, and the demo consent
 * (DIR/consents/: a FHIR Consent for {@code POST /fhir/Consent}, and its one line for the ready
 * block), and the study the bring-up archives (DIR/archived/).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Demo federation helpers.",
    subcommands = {DemoCommand.Samples.class})
public class DemoCommand {

  @Command(
      name = "samples",
      mixinStandardHelpOptions = true,
      description =
          "Generate the demo studies (DIR/<site>/...), identity links (DIR/identity-links/) and"
              + " the authority's identity decision (DIR/identity-review/).")
  static class Samples implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(
        names = "--size",
        defaultValue = "256",
        description = "image rows and columns (default ${DEFAULT-VALUE})")
    int size;

    @Override
    public Integer call() throws IOException {
      int count = 0;
      for (DemoCatalogue.Study study : DemoCatalogue.STUDIES) {
        count +=
            SampleStudyWriter.write(
                    study, out.resolve(study.patient().site()).resolve(study.key()), size)
                .size();
      }
      Path links = Files.createDirectories(out.resolve("identity-links"));
      List<DemoCatalogue.Patient> linked =
          DemoCatalogue.STUDIES.stream()
              .map(DemoCatalogue.Study::patient)
              .distinct()
              .filter(p -> p.regionalId() != null)
              .toList();
      for (String regionalId :
          linked.stream().map(DemoCatalogue.Patient::regionalId).distinct().toList()) {
        String body =
            linked.stream()
                .filter(p -> p.regionalId().equals(regionalId))
                .map(
                    p ->
                        "{\"system\":\""
                            + IdentifierSystems.siteMrn(p.site())
                            + "\",\"value\":\""
                            + p.mrn()
                            + "\"}")
                .collect(Collectors.joining(",", "[", "]\n"));
        try (Writer w =
            Files.newBufferedWriter(links.resolve(regionalId + ".json"), StandardCharsets.UTF_8)) {
          w.write(body);
        }
      }
      writeKeptApart(Files.createDirectories(out.resolve("identity-review")));
      writeDemoConsent(Files.createDirectories(out.resolve("consents")));
      writeArchived(Files.createDirectories(out.resolve("archived")));
      System.out.printf(
          "wrote %d instances of %d studies under %s%n", count, DemoCatalogue.STUDIES.size(), out);
      return 0;
    }

    /**
     * The authority's demo decision: {@code reject-<MRN>.json}, the body of {@code POST
     * /api/identity/candidates/{id}/reject} for the review pair that names that hospital-b MRN.
     */
    private static void writeKeptApart(Path dir) throws IOException {
      DemoCatalogue.KeptApart apart = DemoCatalogue.KEPT_APART;
      Files.writeString(
          dir.resolve("reject-" + apart.b().mrn() + ".json"),
          "{\"note\":\"" + apart.note() + "\"}\n",
          StandardCharsets.UTF_8);
    }

    /**
     * The study the bring-up archives: {@code study.txt} (its site and Study Instance UID) and
     * {@code ready-line.txt}, its line in the ready block.
     */
    private static void writeArchived(Path dir) throws IOException {
      DemoCatalogue.Study study = DemoCatalogue.ARCHIVED;
      DemoCatalogue.Patient p = study.patient();
      String uid = SampleStudyWriter.uid(study.key());
      Files.writeString(
          dir.resolve("study.txt"), p.site() + " " + uid + "\n", StandardCharsets.UTF_8);
      String date = LocalDate.parse(study.date(), DateTimeFormatter.BASIC_ISO_DATE).toString();
      Files.writeString(
          dir.resolve("ready-line.txt"),
          "Archived prior      "
              + p.name().substring(p.name().indexOf('^') + 1)
              + "'s "
              + study.description()
              + " of "
              + date
              + " ("
              + p.mrn()
              + " at "
              + p.site()
              + ") is in the Archive tier: on the timeline it opens a restore page; start the"
              + " restore there (about 30 s here) and the page offers the viewer once it is back\n",
          StandardCharsets.UTF_8);
    }

    private static void writeDemoConsent(Path dir) throws IOException {
      DemoCatalogue.DeniedSharing consent = DemoCatalogue.DEMO_CONSENT;
      DemoCatalogue.Patient p = consent.patient();
      Files.writeString(dir.resolve(p.mrn() + ".json"), demoConsent(), StandardCharsets.UTF_8);
      String[] name = p.name().split("\\^");
      Files.writeString(
          dir.resolve("ready-line.txt"),
          "Demo consent: "
              + (name.length > 1 ? name[1] + " " : "")
              + name[0]
              + " ("
              + p.mrn()
              + " at "
              + p.site()
              + ") does not share with "
              + consent.deniedName()
              + "\n",
          StandardCharsets.UTF_8);
    }
  }

  /**
   * The demo consent as an admin records a signed paper form (IHE PCF Basic, the region's opt-out
   * policy): deny, for the actor Organization/{deniedSite}; the body of {@code POST /fhir/Consent}.
   */
  public static String demoConsent() {
    DemoCatalogue.DeniedSharing consent = DemoCatalogue.DEMO_CONSENT;
    DemoCatalogue.Patient p = consent.patient();
    return "{\"resourceType\":\"Consent\",\"status\":\"active\","
        + "\"scope\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
        + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
        + "\"patient\":{\"identifier\":{\"system\":\""
        + IdentifierSystems.siteMrn(p.site())
        + "\",\"value\":\""
        + p.mrn()
        + "\"}},"
        + "\"policy\":[{\"uri\":\"https://ponte.example/fhir/consent-policy/opt-out\"}],"
        + "\"provision\":{\"type\":\"deny\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
        + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
        + "\"reference\":{\"reference\":\"Organization/"
        + consent.deniedSite()
        + "\"}}]}}\n";
  }
}
