package io.ponte.hub.dicomweb;

import io.ponte.testing.Orthanc;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * QIDO-RS at the hub over one million registered studies, beside Orthanc in the same run (prints
 * figures; never fails a build).
 *
 * <p>The registry is loaded by SQL straight into the hub's own tables after the hub has migrated
 * its schema (Flyway): 300,000 local patients at five sites (30,000 of them a second record of a
 * person at another site, linked by a regional id and half of those spelled without accents), and
 * {@code -Dbench.studies} (default 1,000,000) studies over 15 years with modalities, accession
 * numbers, descriptions and an ImagingStudy JSON as a node publishes it (series listed, instances
 * not: a real one lists them all, which only makes reading it costlier). It bypasses the FHIR write
 * path on purpose: publishing a million ImagingStudy resources through {@code PUT /fhir/...} (one
 * validated, audited transaction each) would take hours on the shared machine, and the write path
 * is not what is measured. The database ({@code ponte_hub_qidobench} + suffix) is kept between runs
 * and loaded only when it holds fewer studies ({@code -Dbench.reload=true} forces a reload).
 *
 * <p>The hub is the packaged application ({@code serve --role hub}, -Xmx512m) and every request
 * carries a real Keycloak token (ana.clinic) and is audited. Orthanc 1.10 from Debian (DICOMweb
 * plugin, {@code TCP_NODELAY=1}) holds {@code -Dbench.orthancStudies} (default 5,000) studies of
 * one small instance each, generated with the same distributions and kept in target/ between runs.
 * Each query shape is sent alternately to the hub and to Orthanc (20 warm-up requests each, then
 * {@code -Dbench.queries}, default 300, each), keys drawn from what each holds. The shapes are
 * measured {@code -Dbench.rounds} times (default 2): round 1 is a just-started hub whose JIT is
 * still compiling, the last one a warm hub.
 *
 * <p>Run: docs/performance.md ("QIDO-RS at one million studies").
 */
public final class QidoScaleBench {

  static final int STUDIES = Integer.getInteger("bench.studies", 1_000_000);
  static final int PATIENTS = 300_000;
  static final int LINKED = 30_000;
  static final int ORTHANC_STUDIES = Integer.getInteger("bench.orthancStudies", 5_000);
  static final int QUERIES = Integer.getInteger("bench.queries", 300);
  static final int WARMUP = 20;
  static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
  static final String DB = "ponte_hub_qidobench";

  static final String[] SITES = {
    "hospital-a", "hospital-b", "hospital-c", "hospital-d", "clinic-norte"
  };
  static final String[] SITE_CODES = {"HA", "HB", "HC", "HD", "CN"};
  static final String[] FAMILY = {
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
    "Brandão",
    "Magalhães",
    "Guimarães",
    "Conceição",
    "Lourenço",
    "Estêvão",
    "Sá",
    "Falcão",
    "Assunção",
    "Gusmão",
    "Leitão",
    "Romão",
    "Calado",
    "Baptista",
    "Tavares",
    "Figueiredo"
  };
  static final String[] GIVEN = {
    "Maria",
    "José",
    "João",
    "António",
    "Ana",
    "Manuel",
    "Francisco",
    "Inês",
    "Beatriz",
    "Mário",
    "Luís",
    "Tomás",
    "Gonçalo",
    "Sérgio",
    "Conceição",
    "Fátima",
    "Leonor",
    "Matilde",
    "Francisca",
    "Rúben",
    "André",
    "Afonso",
    "Raquel",
    "Bárbara",
    "Célia",
    "Mónica",
    "Patrícia",
    "Hélder",
    "Joaquim",
    "Rui",
    "Pedro",
    "Paulo",
    "Teresa",
    "Rosário",
    "Graça",
    "Irene",
    "Vítor",
    "Simão",
    "Lúcia",
    "Íris"
  };
  static final String[] MODALITIES = {
    "CT", "MR", "CR", "DX", "US", "MG", "NM", "PT", "XA", "RF", "OT"
  };
  static final double[] MODALITY_CUMULATIVE = {.25, .40, .60, .70, .82, .88, .90, .92, .95, .97, 1};

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public static void main(String[] args) throws Exception {
    String url =
        TestDatabases.SERVER + DB + System.getenv().getOrDefault("PONTE_TEST_DB_SUFFIX", "");
    boolean load = Boolean.getBoolean("bench.reload") || studies(url) < STUDIES;
    if (load) {
      TestDatabases.url(DB); // dropped and created afresh
    }
    System.out.println("load average at start: " + FederationBench.load());
    Path dir = Files.createDirectories(Path.of("target", "qido-bench"));
    List<OrthancStudy> orthancData = orthancStudies(ORTHANC_STUDIES, 42);
    try (BenchProcess hub =
            BenchProcess.start(
                "hub", null, url, "512m", Map.of("ponte.hub.dimse.enabled", "false"));
        BenchProcess baseline = baselineHub(url);
        Orthanc orthanc = Orthanc.builder(dir.resolve("orthanc")).dicomWeb().start()) {
      if (load) {
        registry(url);
      }
      loadOrthanc(orthanc, orthancData);
      Keys hubKeys = hubKeys(url);
      Keys orthancKeys = orthancKeys(orthancData);
      System.out.printf(
          "sizes: hub %,d registered studies of %,d patients; Orthanc %,d studies of %,d patients%n",
          studies(url),
          count(url, "select count(*) from patient"),
          ORTHANC_STUDIES,
          orthancData.stream().map(OrthancStudy::patientId).distinct().count());
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("hub", hub.url() + "/dicomweb/studies?", true, hubKeys, false));
      if (baseline != null) {
        targets.add(
            new Target(
                "baseline hub",
                baseline.url() + "/dicomweb/studies?",
                true,
                new Keys(
                    hubKeys.patientIds(), hubKeys.accessions(), hubKeys.studyUids(), new Random(1)),
                false));
      }
      targets.add(
          new Target("Orthanc", orthanc.url() + "/dicom-web/studies?", false, orthancKeys, true));
      measure(targets);
      System.out.println("load average at end: " + FederationBench.load());
    }
  }

  /**
   * With {@code -Dbench.baselineHubJar=<other build>/quarkus-run.jar}, a second hub from another
   * build on the same database, measured in the same rotation (before/after on one machine).
   */
  static BenchProcess baselineHub(String url) throws Exception {
    String jar = System.getProperty("bench.baselineHubJar");
    return jar == null
        ? null
        : BenchProcess.start(
            "hub",
            null,
            url,
            "512m",
            // An older build does not know this branch's migrations; the schema is this build's.
            Map.of(
                "ponte.hub.dimse.enabled",
                "false",
                "quarkus.flyway.hub.validate-on-migrate",
                "false"),
            Path.of(jar));
  }

  // ---------------------------------------------------------------- the hub's registry, by SQL

  static long studies(String url) {
    try {
      return count(url, "select count(*) from imaging_study");
    } catch (Exception noDatabaseYet) {
      return 0;
    }
  }

  static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String array(String[] values) {
    return Arrays.stream(values)
        .map(v -> "'" + v.replace("'", "''") + "'")
        .collect(Collectors.joining(",", "array[", "]"));
  }

  private static final String ACCENTED = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ";
  private static final String PLAIN = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy";

  /** The hub's folded name key, as io.ponte.text.NameFolding writes it for these names. */
  static String foldSql(String expression) {
    return "lower(translate(" + expression + ", '" + ACCENTED + "', '" + PLAIN + "'))";
  }

  static void registry(String url) throws Exception {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("set synchronous_commit = off");
      st.execute("set maintenance_work_mem = '256MB'");
      st.execute("select setseed(0.42)");
      int persons = PATIENTS - LINKED;
      String sites = array(SITES);
      String codes = array(SITE_CODES);
      // Surnames skewed (Silva far more common than Gusmão), given names uniform.
      st.execute(
          ("create temp table person as select g as person,"
                  + " (%1$s)[1 + floor(pow(random(), 2) * %2$d)::int] || ' '"
                  + " || (%1$s)[1 + floor(pow(random(), 2) * %2$d)::int] as family,"
                  + " (%3$s)[1 + floor(random() * %4$d)::int]"
                  + " || case when random() < 0.4 then ' ' || (%3$s)[1 + floor(random() * %4$d)::int]"
                  + " else '' end as given,"
                  + " date '1930-01-01' + floor(random() * 32000)::int as birth,"
                  + " case when random() < 0.52 then 'female' else 'male' end as gender"
                  + " from generate_series(1, %5$d) g")
              .formatted(array(FAMILY), FAMILY.length, array(GIVEN), GIVEN.length, persons));
      // Patients 1..270,000 are persons' first records; 270,001..300,000 second records of persons
      // 1..30,000 at another site, every other one spelled without accents.
      st.execute(
          ("create temp table pat as select n, person, site,"
                  + " case when n > %1$d and n %% 2 = 0 then translate(family, '%2$s', '%3$s') else family end"
                  + " as family,"
                  + " case when n > %1$d and n %% 2 = 0 then translate(given, '%2$s', '%3$s') else given end"
                  + " as given, birth, gender from (select g as n, case when g > %1$d then g - %1$d else g end"
                  + " as person, case when g > %1$d then (g - %1$d + 2) %% 5 else g %% 5 end as site"
                  + " from generate_series(1, %4$d) g) x join person using (person)")
              .formatted(persons, ACCENTED, PLAIN, PATIENTS));
      st.execute(
          ("insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
                  + " given_names, birth_date, gender, version_id, last_updated, name_search)"
                  + " select 'qb-p' || n, (%1$s)[1 + site], 'urn:ponte:' || (%1$s)[1 + site] || ':mrn',"
                  + " (%2$s)[1 + site] || lpad(n::text, 8, '0'), family, given, birth, gender, 1, now(), "
                  + foldSql("family || '^' || given")
                  + " from pat order by n")
              .formatted(sites, codes));
      st.execute(
          "insert into regional_person select 'QB-REG-' || k, now(), now()"
              + " from generate_series(1, "
              + LINKED
              + ") k");
      st.execute(
          "insert into identity_link (patient_id, regional_id, method, linked_at, linked_by)"
              + " select 'qb-p' || n, 'QB-REG-' || person, 'deterministic', now(), 'bench'"
              + " from pat where person <= "
              + LINKED);
      System.out.printf(
          "setup: %,d patients, %,d linked pairs in %.1f s%n",
          PATIENTS, LINKED, (System.nanoTime() - t0) / 1e9);
      // Studies: patients skewed (a few with dozens of studies, most with one to three), 2011-2025
      // working hours, modality mix of a general hospital, PET with CT, 10 % with an SR series.
      StringBuilder modality = new StringBuilder("case");
      for (int i = 0; i < MODALITIES.length; i++) {
        modality.append(
            String.format(
                Locale.ROOT, " when r < %.2f then '%s'", MODALITY_CUMULATIVE[i], MODALITIES[i]));
      }
      modality.append(" end");
      st.execute(
          ("create temp table st as select n, pn, started, m1,"
                  + " case when m1 = 'PT' then 'CT' when r3 < 0.1 then 'SR' end as m2,"
                  + " 1 + floor(r2 * 4)::int as nseries,"
                  + " case when m1 in ('CT', 'MR', 'PT', 'NM') then 40 + floor(r3 * 900)::int"
                  + " when m1 = 'MG' then 4 when m1 in ('CR', 'DX') then 1 + floor(r3 * 3)::int"
                  + " else 10 + floor(r3 * 60)::int end as ninst,"
                  + " '1.2.826.0.1.3680043.10.543.' || (100000000 + n) || '.' || (1 + floor(r3 * 999999)::int)"
                  + " as uid, r2 from (select g as n, 1 + floor(pow(random(), 1.3) * %1$d)::int as pn,"
                  + " timestamptz '2011-01-01 00:00:00+00' + floor(random() * 5479)::int * interval '1 day'"
                  + " + (420 + floor(random() * 780)::int) * interval '1 minute' as started,"
                  + " random() as r, random() as r2, random() as r3 from generate_series(1, %2$d) g) x,"
                  + " lateral (select %3$s as m1) m")
              .formatted(PATIENTS, STUDIES, modality));
      String description =
          "(case m1"
              + " when 'CT' then (array['TC Tórax','TC Crânio-encefálica','TC Abdómen e Pélvis','Angio-TC'])"
              + " when 'MR' then (array['RM Crânio-encefálica','RM Joelho','RM Coluna Lombar','RM Ombro'])"
              + " when 'CR' then (array['RX Tórax PA','RX Coluna Lombar','RX Mão','RX Bacia'])"
              + " when 'DX' then (array['RX Tórax','RX Joelho','RX Pé','RX Punho'])"
              + " when 'US' then (array['Ecografia Abdominal','Ecografia Tiroideia','Ecografia Pélvica',"
              + "'Ecografia Mamária'])"
              + " when 'MG' then (array['Mamografia Bilateral','Mamografia de Rastreio',"
              + "'Mamografia Diagnóstica','Mamografia Bilateral'])"
              + " when 'NM' then (array['Cintigrafia Óssea','Cintigrafia Miocárdica','Cintigrafia Tiroideia',"
              + "'Cintigrafia Renal'])"
              + " when 'PT' then (array['PET-CT Corpo Inteiro','PET-CT Cerebral','PET-CT Corpo Inteiro',"
              + "'PET-CT Oncológico'])"
              + " when 'XA' then (array['Angiografia Coronária','Angiografia Cerebral',"
              + "'Angiografia Periférica','Angiografia Coronária'])"
              + " when 'RF' then (array['Fluoroscopia Esofágica','Trânsito Intestinal','Cistografia',"
              + "'Histerossalpingografia'])"
              + " else (array['Exame Externo','Documento Digitalizado','Exame Externo','Exame Externo'])"
              + " end)[1 + floor(r2 * 4)::int]";
      String series =
          "(select string_agg(format('{\"uid\":\"%s.%s\",\"number\":%s,\"modality\":{\"system\":"
              + "\"http://dicom.nema.org/resources/ontology/DCM\",\"code\":\"%s\"},\"numberOfInstances\":%s}',"
              + " uid, k, k, case when k = nseries + 1 then m2 else m1 end,"
              + " case when k = nseries + 1 then 1 else greatest(1, ninst / nseries) end), ',')"
              + " from generate_series(1, nseries + case when m2 is null then 0 else 1 end) k)";
      st.execute(
          ("insert into imaging_study (id, study_instance_uid, site_id, patient_id, started, version_id,"
                  + " last_updated, content_sha256, resource_json, accession_number, description,"
                  + " number_of_series, number_of_instances, modalities_in_study)"
                  + " select 'qb-s' || n, uid, p.site_id, p.id, p.started, 1, now(), md5(uid) || md5(uid),"
                  + " format('{\"resourceType\":\"ImagingStudy\",\"id\":\"%%s\",\"meta\":{\"versionId\":\"1\","
                  + "\"lastUpdated\":\"2026-12-05T00:00:00Z\",\"source\":\"urn:ponte:site:%%s\"},"
                  + "\"identifier\":[{\"system\":\"urn:dicom:uid\",\"value\":\"urn:oid:%%s\"},{\"type\":"
                  + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":"
                  + "\"ACSN\"}]},\"value\":\"%%s\"}],\"status\":\"available\",\"modality\":[%%s],"
                  + "\"subject\":{\"reference\":\"Patient/%%s\"},\"started\":\"%%s\",\"numberOfSeries\":%%s,"
                  + "\"numberOfInstances\":%%s,\"description\":\"%%s\",\"series\":[%%s]}',"
                  + " 'qb-s' || n, p.site_id, uid, acc, '{\"system\":\"http://dicom.nema.org/resources/"
                  + "ontology/DCM\",\"code\":\"' || m1 || '\"}' || coalesce(',{\"system\":\"http://dicom.nema.org/"
                  + "resources/ontology/DCM\",\"code\":\"' || m2 || '\"}', ''), p.id,"
                  + " to_char(started at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), nser, ninst, d,"
                  + " %1$s), acc, d, nser, ninst,"
                  + " case when m2 is null then m1 when m1 < m2 then m1 || '\\' || m2 else m2 || '\\' || m1 end"
                  + " from (select st.*, %2$s as d, nseries + case when m2 is null then 0 else 1 end as nser,"
                  + " substr(pt.identifier_value, 1, 2) || to_char(started, 'YYYY')"
                  + " || lpad((n %% 10000000)::text, 7, '0') as acc, pt.id, pt.site_id"
                  + " from st join patient pt on pt.id = 'qb-p' || st.pn) p order by started")
              .formatted(series, description));
      st.execute(
          "insert into imaging_study_modality (study_id, code) select 'qb-s' || n, m1 from st"
              + " union all select 'qb-s' || n, m2 from st where m2 is not null");
      // Vacuumed as well as analysed, one statement each (VACUUM runs outside a transaction): the
      // CI machines' PostgreSQL runs without autovacuum, and a bulk-loaded table without its
      // visibility map gets no index-only scans, which a production database's autovacuum gives.
      for (String table :
          List.of(
              "patient",
              "patient_name_word",
              "patient_name_variant",
              "identity_link",
              "imaging_study",
              "imaging_study_modality")) {
        st.execute("vacuum analyze " + table);
      }
      System.out.printf(
          "setup: registered %,d studies (SQL into the hub's tables) in %.1f s%n",
          STUDIES, (System.nanoTime() - t0) / 1e9);
    }
  }

  // ---------------------------------------------------------------- Orthanc's studies

  record OrthancStudy(
      String patientId,
      String name,
      String birth,
      String sex,
      String studyUid,
      String date,
      String accession,
      String modality,
      String description) {}

  /** The same distributions as the registry's, drawn in Java: ~0.3 patients per study. */
  static List<OrthancStudy> orthancStudies(int count, long seed) {
    Random r = new Random(seed);
    int patients = Math.max(1, count * 3 / 10);
    String[][] person = new String[patients][];
    for (int i = 0; i < patients; i++) {
      String family =
          FAMILY[(int) (Math.pow(r.nextDouble(), 2) * FAMILY.length)]
              + " "
              + FAMILY[(int) (Math.pow(r.nextDouble(), 2) * FAMILY.length)];
      String given =
          GIVEN[r.nextInt(GIVEN.length)]
              + (r.nextDouble() < 0.4 ? " " + GIVEN[r.nextInt(GIVEN.length)] : "");
      int site = (i + 1) % 5;
      person[i] =
          new String[] {
            SITE_CODES[site] + String.format(Locale.ROOT, "%08d", i + 1),
            family + "^" + given,
            LocalDate.of(1930, 1, 1).plusDays(r.nextInt(32000)).toString().replace("-", ""),
            r.nextDouble() < 0.52 ? "F" : "M"
          };
    }
    List<OrthancStudy> studies = new ArrayList<>(count);
    for (int n = 1; n <= count; n++) {
      String[] p = person[(int) (Math.pow(r.nextDouble(), 1.3) * patients)];
      LocalDate day = LocalDate.of(2011, 1, 1).plusDays(r.nextInt(5479));
      double m = r.nextDouble();
      int k = 0;
      while (m >= MODALITY_CUMULATIVE[k]) {
        k++;
      }
      studies.add(
          new OrthancStudy(
              p[0],
              p[1],
              p[2],
              p[3],
              "1.2.826.0.1.3680043.10.544." + (100000000 + n),
              day.toString().replace("-", ""),
              p[0].substring(0, 2) + day.getYear() + String.format(Locale.ROOT, "%07d", n),
              MODALITIES[k],
              "Estudo " + MODALITIES[k]));
    }
    return studies;
  }

  /** One small instance per study, 4 uploads at a time; skipped when Orthanc holds them already. */
  static void loadOrthanc(Orthanc orthanc, List<OrthancStudy> studies) throws Exception {
    String stats = orthanc.get("/statistics").body();
    java.util.regex.Matcher held =
        java.util.regex.Pattern.compile("\"CountStudies\"\\s*:\\s*(\\d+)").matcher(stats);
    if (held.find() && Integer.parseInt(held.group(1)) >= studies.size()) {
      return;
    }
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (OrthancStudy s : studies) {
        done.add(
            pool.submit(
                () -> {
                  HttpResponse<String> r =
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(URI.create(orthanc.url() + "/instances"))
                                  .POST(HttpRequest.BodyPublishers.ofByteArray(dicom(s)))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException("Orthanc: " + r.statusCode() + " " + r.body());
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf(
        "setup: %,d studies into Orthanc in %.1f s%n",
        studies.size(), (System.nanoTime() - t0) / 1e9);
  }

  /** A Part 10 file, explicit VR little endian, UTF-8 (ISO_IR 192), 8×8 8-bit pixels. */
  static byte[] dicom(OrthancStudy s) {
    String sop = s.studyUid() + ".1.1";
    String cls = "1.2.840.10008.5.1.4.1.1.7";
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    element(meta, 0x0002, 0x0001, "OB", new byte[] {0, 1});
    element(meta, 0x0002, 0x0002, "UI", ascii(cls));
    element(meta, 0x0002, 0x0003, "UI", ascii(sop));
    element(meta, 0x0002, 0x0010, "UI", ascii("1.2.840.10008.1.2.1"));
    element(meta, 0x0002, 0x0012, "UI", ascii("1.2.826.0.1.3680043.10.543.1"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes(ascii("DICM"));
    element(
        out,
        0x0002,
        0x0000,
        "UL",
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
    out.writeBytes(meta.toByteArray());
    element(out, 0x0008, 0x0005, "CS", ascii("ISO_IR 192"));
    element(out, 0x0008, 0x0016, "UI", ascii(cls));
    element(out, 0x0008, 0x0018, "UI", ascii(sop));
    element(out, 0x0008, 0x0020, "DA", ascii(s.date()));
    element(out, 0x0008, 0x0030, "TM", ascii("101500"));
    element(out, 0x0008, 0x0050, "SH", ascii(s.accession()));
    element(out, 0x0008, 0x0060, "CS", ascii(s.modality()));
    element(out, 0x0008, 0x1030, "LO", s.description().getBytes(StandardCharsets.UTF_8));
    element(out, 0x0010, 0x0010, "PN", s.name().getBytes(StandardCharsets.UTF_8));
    element(out, 0x0010, 0x0020, "LO", ascii(s.patientId()));
    element(out, 0x0010, 0x0030, "DA", ascii(s.birth()));
    element(out, 0x0010, 0x0040, "CS", ascii(s.sex()));
    element(out, 0x0020, 0x000D, "UI", ascii(s.studyUid()));
    element(out, 0x0020, 0x000E, "UI", ascii(s.studyUid() + ".1"));
    element(out, 0x0020, 0x0011, "IS", ascii("1"));
    element(out, 0x0020, 0x0013, "IS", ascii("1"));
    element(out, 0x0028, 0x0002, "US", us(1));
    element(out, 0x0028, 0x0004, "CS", ascii("MONOCHROME2"));
    element(out, 0x0028, 0x0010, "US", us(8));
    element(out, 0x0028, 0x0011, "US", us(8));
    element(out, 0x0028, 0x0100, "US", us(8));
    element(out, 0x0028, 0x0101, "US", us(8));
    element(out, 0x0028, 0x0102, "US", us(7));
    element(out, 0x0028, 0x0103, "US", us(0));
    element(out, 0x7FE0, 0x0010, "OB", new byte[64]);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] us(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8)};
  }

  private static void element(ByteArrayOutputStream out, int group, int tag, String vr, byte[] v) {
    byte[] value = v;
    if (value.length % 2 == 1) {
      value = Arrays.copyOf(value, value.length + 1);
      value[value.length - 1] = (byte) (vr.equals("UI") || vr.equals("OB") ? 0 : ' ');
    }
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) group).putShort((short) tag).put(ascii(vr));
    if (vr.equals("OB")) {
      b.putShort((short) 0).putInt(value.length);
    } else {
      b.putShort((short) value.length);
    }
    out.write(b.array(), 0, b.position());
    out.writeBytes(value);
  }

  // ---------------------------------------------------------------- keys and shapes

  /** Keys each server holds, to draw queries from. */
  record Keys(
      List<String> patientIds, List<String> accessions, List<String> studyUids, Random random) {
    String any(List<String> values) {
      return values.get(random.nextInt(values.size()));
    }
  }

  static Keys hubKeys(String url) throws Exception {
    List<String> ids = new ArrayList<>();
    List<String> accessions = new ArrayList<>();
    List<String> uids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "select p.identifier_value, s.accession_number, s.study_instance_uid"
                  + " from imaging_study s tablesample system (0.2) repeatable (7)"
                  + " join patient p on p.id = s.patient_id limit 1000")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          accessions.add(rs.getString(2));
          uids.add(rs.getString(3));
        }
      }
    }
    return new Keys(ids, accessions, uids, new Random(1));
  }

  static Keys orthancKeys(List<OrthancStudy> studies) {
    return new Keys(
        studies.stream().map(OrthancStudy::patientId).toList(),
        studies.stream().map(OrthancStudy::accession).toList(),
        studies.stream().map(OrthancStudy::studyUid).toList(),
        new Random(1));
  }

  /** One query shape: the query string for the hub and for Orthanc from their keys. */
  record Shape(String name, Function<Keys, String> hub, Function<Keys, String> orthanc) {
    Shape(String name, Function<Keys, String> both) {
      this(name, both, both);
    }
  }

  static String enc(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  static String year(Random r) {
    return Integer.toString(2011 + r.nextInt(15));
  }

  static List<Shape> shapes() {
    List<Shape> shapes = new ArrayList<>();
    shapes.add(new Shape("PatientID", k -> "PatientID=" + k.any(k.patientIds())));
    shapes.add(
        new Shape(
            "PatientID + StudyDate (5 years)",
            k -> {
              int from = 2011 + k.random().nextInt(11);
              return "PatientID="
                  + k.any(k.patientIds())
                  + "&StudyDate="
                  + from
                  + "0101-"
                  + (from + 4)
                  + "1231";
            }));
    shapes.add(new Shape("AccessionNumber", k -> "AccessionNumber=" + k.any(k.accessions())));
    shapes.add(new Shape("StudyInstanceUID", k -> "StudyInstanceUID=" + k.any(k.studyUids())));
    shapes.add(
        new Shape(
            "PatientName=<surname prefix>* limit=25",
            k -> {
              String family = FAMILY[k.random().nextInt(FAMILY.length)];
              return "PatientName="
                  + enc(family.substring(0, Math.min(5, family.length())) + "*")
                  + "&limit=25";
            }));
    shapes.add(
        new Shape(
            "PatientName=<surname> <given> fuzzy limit=25",
            k ->
                "PatientName="
                    + enc(
                        FAMILY[k.random().nextInt(FAMILY.length)]
                            + " "
                            + GIVEN[k.random().nextInt(GIVEN.length)])
                    + "&fuzzymatching=true&limit=25",
            // Orthanc has no fuzzy matching: the nearest it answers is a surname*given pattern.
            k ->
                "PatientName="
                    + enc(
                        FAMILY[k.random().nextInt(FAMILY.length)]
                            + "*^"
                            + GIVEN[k.random().nextInt(GIVEN.length)]
                            + "*")
                    + "&limit=25"));
    shapes.add(
        new Shape(
            "ModalitiesInStudy=MR + StudyDate (1 month) limit=101",
            k -> {
              LocalDate m =
                  LocalDate.of(2011 + k.random().nextInt(15), 1 + k.random().nextInt(12), 1);
              return "ModalitiesInStudy=MR&StudyDate="
                  + m.toString().replace("-", "")
                  + "-"
                  + m.plusMonths(1).minusDays(1).toString().replace("-", "")
                  + "&limit=101";
            }));
    shapes.add(
        new Shape(
            "StudyDate (1 year) limit=25 offset=<0..300>",
            k -> {
              String y = year(k.random());
              return "StudyDate="
                  + y
                  + "0101-"
                  + y
                  + "1231&limit=25&offset="
                  + 25 * k.random().nextInt(13);
            }));
    return shapes;
  }

  // ---------------------------------------------------------------- measuring

  /** A server measured: its study search URL, token (null: none), keys and query builder. */
  record Target(String label, String base, boolean token, Keys keys, boolean orthanc) {
    String url(Shape shape) {
      return base + (orthanc ? shape.orthanc() : shape.hub()).apply(keys);
    }
  }

  static void measure(List<Target> targets) throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      System.out.printf("round %d of %d%n", round, ROUNDS);
      measureShapes(targets);
    }
  }

  static void measureShapes(List<Target> targets) throws Exception {
    // -Dbench.shapes=PatientName measures only the shapes whose name contains it.
    String only = System.getProperty("bench.shapes", "");
    for (Shape shape : shapes()) {
      if (!shape.name().contains(only)) {
        continue;
      }
      String token = Tokens.user("ana.clinic");
      long slowest = 0;
      for (int i = 0; i < WARMUP; i++) {
        for (Target t : targets) {
          long t0 = System.nanoTime();
          get(t.url(shape), t.token() ? token : null);
          slowest = Math.max(slowest, i < WARMUP / 2 ? 0 : System.nanoTime() - t0);
        }
      }
      // A shape some server answers in seconds gets few requests, so that the run ends.
      int queries = slowest > 500_000_000L ? Math.min(QUERIES, 20) : QUERIES;
      int n = targets.size();
      long[][] ms = new long[n][queries];
      long[] rows = new long[n];
      String before = FederationBench.load();
      for (int i = 0; i < queries; i++) {
        // Rotate which server goes first, so all see the same machine.
        for (int j = 0; j < n; j++) {
          int k = (i + j) % n;
          Target t = targets.get(k);
          // Tokens caches a token for a minute: a slow shape outlasts one token's lifetime.
          rows[k] += timed(ms[k], i, t.url(shape), t.token() ? Tokens.user("ana.clinic") : null);
        }
      }
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "qido %-50s", shape.name()));
      for (int k = 0; k < n; k++) {
        Arrays.sort(ms[k]);
        line.append(
            String.format(
                Locale.ROOT,
                " | %s p50 %5.2f p95 %5.2f p99 %6.2f ms (%.1f rows)",
                targets.get(k).label(),
                pct(ms[k], 50),
                pct(ms[k], 95),
                pct(ms[k], 99),
                rows[k] / (double) queries));
      }
      line.append(" | n=")
          .append(queries)
          .append(" | load ")
          .append(before, 0, before.indexOf(' ', before.indexOf(' ') + 1));
      System.out.println(line);
    }
  }

  static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Times one request into {@code into[i]}; returns the number of studies answered. */
  static int timed(long[] into, int i, String url, String token) throws Exception {
    long t0 = System.nanoTime();
    String body = get(url, token);
    into[i] = System.nanoTime() - t0;
    int rows = 0;
    for (int at = body.indexOf("\"0020000D\"");
        at >= 0;
        at = body.indexOf("\"0020000D\"", at + 1)) {
      rows++;
    }
    return rows;
  }

  static String get(String url, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "application/dicom+json")
            .timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 204) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private QidoScaleBench() {}
}
