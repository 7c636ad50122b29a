package io.ponte.node.index;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An attribute the node's index can match on and return (all of them by default at their level),
 * with the SQL that yields it. Aliases: {@code st} study, {@code se} series, {@code i} instance.
 * Attributes outside this catalogue can still be returned through includefield, from the stored
 * DICOM JSON metadata.
 */
public record QidoAttribute(
    String tag, String keyword, String vr, QidoLevel level, String sql, Match match) {

  /** How a query value for this attribute is matched (PS3.4 C.2.2.2). */
  public enum Match {
    /** Single value or UID list matching. */
    UID,
    /** Single value with * and ? wildcards, case-sensitive. */
    TEXT,
    /**
     * Person name: wildcards, case-insensitive; fuzzymatching=true matches name-component prefixes.
     */
    PERSON_NAME,
    /** Single date or range (YYYYMMDD, -YYYYMMDD, YYYYMMDD-, YYYYMMDD-YYYYMMDD). */
    DATE,
    /** Exact time, or range of times compared as strings (HHMMSS...). */
    TIME,
    /** Exact integer. */
    NUMBER,
    /**
     * A value list (comma or backslash separated): a study matches when any series has one of them.
     */
    ANY_SERIES_MODALITY,
    /** Value list of code strings; matches any. */
    CODE_LIST,
    /** Computed: returned, not matchable. */
    NONE
  }

  public static final String RETRIEVE_URL = "00081190";

  private static final Map<String, QidoAttribute> BY_TAG = new LinkedHashMap<>();
  private static final Map<String, QidoAttribute> BY_KEYWORD = new LinkedHashMap<>();

  static {
    // Study (PS3.18 Table 10.6.3-3 default study attributes, plus what the index keeps)
    study("00080020", "StudyDate", "DA", "st.study_date", Match.DATE);
    study("00080030", "StudyTime", "TM", "st.study_time", Match.TIME);
    study("00080050", "AccessionNumber", "SH", "st.accession_number", Match.TEXT);
    study("00080056", "InstanceAvailability", "CS", "'ONLINE'", Match.NONE);
    study(
        "00080061",
        "ModalitiesInStudy",
        "CS",
        "(select string_agg(distinct s2.modality, '\\' order by s2.modality) from series s2"
            + " where s2.study_instance_uid = st.study_instance_uid)",
        Match.ANY_SERIES_MODALITY);
    study(
        "00080090",
        "ReferringPhysicianName",
        "PN",
        "st.referring_physician_name",
        Match.PERSON_NAME);
    study("00081030", "StudyDescription", "LO", "st.study_description", Match.TEXT);
    study(RETRIEVE_URL, "RetrieveURL", "UR", null, Match.NONE);
    study("00100010", "PatientName", "PN", "st.patient_name", Match.PERSON_NAME);
    study("00100020", "PatientID", "LO", "st.patient_id", Match.TEXT);
    study("00100021", "IssuerOfPatientID", "LO", "st.issuer_of_patient_id", Match.TEXT);
    study("00100030", "PatientBirthDate", "DA", "st.patient_birth_date", Match.DATE);
    study("00100040", "PatientSex", "CS", "st.patient_sex", Match.TEXT);
    study("0020000D", "StudyInstanceUID", "UI", "st.study_instance_uid", Match.UID);
    study("00200010", "StudyID", "SH", "st.study_id", Match.TEXT);
    study(
        "00201206",
        "NumberOfStudyRelatedSeries",
        "IS",
        count("series", "study_instance_uid", "st"),
        Match.NONE);
    study(
        "00201208",
        "NumberOfStudyRelatedInstances",
        "IS",
        count("instance", "study_instance_uid", "st"),
        Match.NONE);
    // Series
    series("00080060", "Modality", "CS", "se.modality", Match.CODE_LIST);
    series("0008103E", "SeriesDescription", "LO", "se.series_description", Match.TEXT);
    series("0020000E", "SeriesInstanceUID", "UI", "se.series_instance_uid", Match.UID);
    series("00200011", "SeriesNumber", "IS", "se.series_number", Match.NUMBER);
    series(
        "00201209",
        "NumberOfSeriesRelatedInstances",
        "IS",
        count("instance", "series_instance_uid", "se"),
        Match.NONE);
    // Instance
    instance("00080016", "SOPClassUID", "UI", "i.sop_class_uid", Match.UID);
    instance("00080018", "SOPInstanceUID", "UI", "i.sop_instance_uid", Match.UID);
    instance("00083002", "AvailableTransferSyntaxUID", "UI", "i.transfer_syntax_uid", Match.UID);
    instance("00200013", "InstanceNumber", "IS", "i.instance_number", Match.NUMBER);
    instance("00280008", "NumberOfFrames", "IS", "i.number_of_frames", Match.NUMBER);
    instance("00280010", "Rows", "US", "i.rows_", Match.NUMBER);
    instance("00280011", "Columns", "US", "i.columns_", Match.NUMBER);
    instance("00280100", "BitsAllocated", "US", "i.bits_allocated", Match.NUMBER);
  }

  private static void study(String tag, String keyword, String vr, String sql, Match match) {
    add(new QidoAttribute(tag, keyword, vr, QidoLevel.STUDY, sql, match));
  }

  private static void series(String tag, String keyword, String vr, String sql, Match match) {
    add(new QidoAttribute(tag, keyword, vr, QidoLevel.SERIES, sql, match));
  }

  private static void instance(String tag, String keyword, String vr, String sql, Match match) {
    add(new QidoAttribute(tag, keyword, vr, QidoLevel.INSTANCE, sql, match));
  }

  /** How many {@code table} rows share {@code column} with the row aliased {@code outer}. */
  private static String count(String table, String column, String outer) {
    return "(select count(*) from "
        + table
        + " c where c."
        + column
        + " = "
        + outer
        + "."
        + column
        + ")";
  }

  private static void add(QidoAttribute a) {
    BY_TAG.put(a.tag(), a);
    BY_KEYWORD.put(a.keyword().toLowerCase(Locale.ROOT), a);
  }

  /** By keyword (case-insensitive) or by 8-hex-digit tag. */
  public static Optional<QidoAttribute> find(String keywordOrTag) {
    QidoAttribute a = BY_KEYWORD.get(keywordOrTag.toLowerCase(Locale.ROOT));
    if (a == null) {
      a = BY_TAG.get(keywordOrTag.toUpperCase(Locale.ROOT));
    }
    return Optional.ofNullable(a);
  }

  public static Optional<QidoAttribute> byTag(String tag) {
    return Optional.ofNullable(BY_TAG.get(tag));
  }

  public static Collection<QidoAttribute> all() {
    return BY_TAG.values();
  }

  /**
   * Attributes returned by default for a search at {@code level}; those of higher levels too when
   * the path does not fix them. RetrieveURL is not listed: it names the returned entity and is
   * always added.
   */
  public static List<QidoAttribute> defaults(
      QidoLevel level, boolean withStudy, boolean withSeries) {
    return BY_TAG.values().stream()
        .filter(
            a ->
                a.sql() != null
                    && (a.level() == level
                        || (a.level() == QidoLevel.STUDY
                            && (withStudy || a.keyword().equals("StudyInstanceUID")))
                        || (a.level() == QidoLevel.SERIES
                            && level == QidoLevel.INSTANCE
                            && (withSeries || a.keyword().equals("SeriesInstanceUID")))))
        .toList();
  }

  /** Whether this attribute can be read at {@code level} (its own level or a higher one). */
  public boolean availableAt(QidoLevel queryLevel) {
    return level.ordinal() <= queryLevel.ordinal();
  }
}
