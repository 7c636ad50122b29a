package io.ponte.demo;

import java.util.List;

/**
 * The demo federation's patients and studies: two hospitals, several patients, one person (Maria
 * Gonçalves, regional id REG-000001) known at both under different MRNs and spellings, CT/MR/CR
 * over several years. The facts live here once; the bring-up script reads what it needs from the
 * generated manifest.
 *
 * <p>The identity review has something in each of its states: the matcher links Maria's two records
 * on its own (a linked pair; the admin then states her regional id), and puts two uncertain pairs
 * on the review list: João Almeida at hospital-a and "Joao Carlos Almeida" at hospital-b (birth day
 * and month swapped), which awaits the authority's review, and two Hélène Dubois born a month apart
 * ({@link #KEPT_APART}), which the authority keeps apart.
 */
public final class DemoCatalogue {

  /**
   * Regional id of the person known at both hospitals; the demo patient user carries it as
   * patient_id.
   */
  public static final String LINKED_REGIONAL_ID = "REG-000001";

  public record Patient(
      String site,
      String issuer,
      String mrn,
      String name,
      String birthDate,
      String sex,
      String regionalId) {}

  public record Study(
      Patient patient,
      String key,
      String modality,
      String date,
      String time,
      String description,
      String bodyPart,
      int series,
      int instancesPerSeries) {}

  private static final Patient MARIA_A =
      new Patient(
          "hospital-a",
          "HOSPITAL-A",
          "HA-100234",
          "Gonçalves^Maria",
          "19680412",
          "F",
          LINKED_REGIONAL_ID);
  private static final Patient HELENE_A =
      new Patient("hospital-a", "HOSPITAL-A", "HA-100871", "Dubois^Hélène", "19750930", "F", null);
  private static final Patient JOAO_A =
      new Patient("hospital-a", "HOSPITAL-A", "HA-101002", "Almeida^João", "19521201", "M", null);
  private static final Patient MARIA_B =
      new Patient(
          "hospital-b",
          "HOSPITAL-B",
          "HB-5521",
          "Goncalves^Maria",
          "19680412",
          "F",
          LINKED_REGIONAL_ID);
  private static final Patient RUI_B =
      new Patient("hospital-b", "HOSPITAL-B", "HB-6000", "Ferreira^Rui", "19800217", "M", null);

  /**
   * Alike João Almeida of hospital-a (a second given name, day and month of birth swapped), not
   * enough to link unseen: awaits the authority's review.
   */
  private static final Patient JOAO_B =
      new Patient(
          "hospital-b", "HOSPITAL-B", "HB-6102", "Almeida^Joao Carlos", "19520112", "M", null);

  /**
   * Alike Hélène Dubois of hospital-a, born a month later: another person ({@link #KEPT_APART}).
   */
  private static final Patient HELENE_B =
      new Patient("hospital-b", "HOSPITAL-B", "HB-6231", "Dubois^Helene", "19750830", "F", null);

  /**
   * A pair the matcher proposes that the authority decides is two people; {@code ponte.sh up}
   * rejects it as rita.authority, with {@code note}, so the review shows a pair kept apart.
   */
  public record KeptApart(Patient a, Patient b, String note) {}

  public static final KeptApart KEPT_APART =
      new KeptApart(
          HELENE_A,
          HELENE_B,
          "Demo: Hospital B confirmed by phone that its Hélène Dubois, born a month later, is"
              + " another person.");

  /**
   * A patient's recorded "don't share with" choice: {@code patient} denies every clinician of
   * {@code deniedSite} (an organisation of {@code ponte.hub.sites}, named {@code deniedName}).
   */
  public record DeniedSharing(Patient patient, String deniedSite, String deniedName) {}

  /**
   * The demo consent {@code ponte.sh up} records (as the admin, from the patient's signed form):
   * Hélène Dubois, a hospital-a patient, does not share with hospital-b. Maria is left sharing with
   * everyone, so the README's example of ana.clinic finding her studies at both hospitals holds.
   */
  public static final DeniedSharing DEMO_CONSENT =
      new DeniedSharing(HELENE_A, "hospital-b", "Hospital B");

  public static final List<Study> STUDIES =
      List.of(
          new Study(
              MARIA_A,
              "maria-a-ct-2019",
              "CT",
              "20190314",
              "093012",
              "CT Chest with contrast",
              "CHEST",
              2,
              4),
          new Study(
              MARIA_A, "maria-a-mr-2022", "MR", "20221002", "141500", "MR Knee left", "KNEE", 2, 3),
          new Study(
              MARIA_A, "maria-a-cr-2025", "CR", "20250620", "080245", "Chest PA", "CHEST", 1, 1),
          new Study(
              HELENE_A, "helene-a-mr-2021", "MR", "20210111", "110000", "MR Brain", "BRAIN", 3, 3),
          new Study(
              JOAO_A, "joao-a-ct-2024", "CT", "20240228", "162030", "CT Abdomen", "ABDOMEN", 2, 4),
          new Study(
              JOAO_A, "joao-a-cr-2018", "CR", "20180707", "100500", "Knee AP/LAT", "KNEE", 1, 2),
          new Study(
              MARIA_B, "maria-b-ct-2023", "CT", "20230516", "071500", "CT Head", "HEAD", 2, 4),
          new Study(
              MARIA_B,
              "maria-b-cr-2020",
              "CR",
              "20201123",
              "153000",
              "Chest PA/LAT",
              "CHEST",
              1,
              2),
          new Study(
              RUI_B,
              "rui-b-mr-2024",
              "MR",
              "20240909",
              "121212",
              "MR Lumbar spine",
              "LSPINE",
              2,
              3),
          new Study(
              JOAO_B, "joao-b-cr-2023", "CR", "20230405", "094500", "Chest PA", "CHEST", 1, 1),
          new Study(
              HELENE_B, "helene-b-ct-2022", "CT", "20220818", "103000", "CT Head", "HEAD", 1, 2));

  /**
   * The study {@code ponte.sh up} puts in the Archive tier ({@code ponte node archive}), so that
   * the clinician timeline shows an archived prior and its restore: Maria's older prior at
   * hospital-b, small (one series of two), used by none of the ready block's examples (they name
   * HA-100234 or the first study of each site).
   */
  public static final Study ARCHIVED =
      STUDIES.stream().filter(s -> s.key().equals("maria-b-cr-2020")).findFirst().orElseThrow();

  private DemoCatalogue() {}
}
