package io.ponte.node.dicomweb;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An attribute the node's index can match on and return, with the SQL that yields it. Aliases: {@code st}
 * study, {@code se} series, {@code i} instance. Attributes outside this catalogue can still be returned
 * through includefield, from the stored DICOM JSON metadata.
 */
public record QidoAttribute(String tag, String keyword, String vr, QidoLevel level, String sql, Match match,
        boolean returnedByDefault) {

    /** How a query value for this attribute is matched (PS3.4 C.2.2.2). */
    public enum Match {
        /** Single value or UID list matching. */
        UID,
        /** Single value with * and ? wildcards, case-sensitive. */
        TEXT,
        /** Person name: wildcards, case-insensitive; fuzzymatching=true matches name-component prefixes. */
        PERSON_NAME,
        /** Single date or range (YYYYMMDD, -YYYYMMDD, YYYYMMDD-, YYYYMMDD-YYYYMMDD). */
        DATE,
        /** Exact time, or range of times compared as strings (HHMMSS...). */
        TIME,
        /** Exact integer. */
        NUMBER,
        /** A value list (comma or backslash separated): a study matches when any series has one of them. */
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
        add("00080020", "StudyDate", "DA", QidoLevel.STUDY, "st.study_date", Match.DATE, true);
        add("00080030", "StudyTime", "TM", QidoLevel.STUDY, "st.study_time", Match.TIME, true);
        add("00080050", "AccessionNumber", "SH", QidoLevel.STUDY, "st.accession_number", Match.TEXT, true);
        add("00080056", "InstanceAvailability", "CS", QidoLevel.STUDY, "'ONLINE'", Match.NONE, true);
        add("00080061", "ModalitiesInStudy", "CS", QidoLevel.STUDY,
                "(select string_agg(distinct s2.modality, '\\' order by s2.modality) from series s2"
                        + " where s2.study_instance_uid = st.study_instance_uid)", Match.ANY_SERIES_MODALITY, true);
        add("00080090", "ReferringPhysicianName", "PN", QidoLevel.STUDY, "st.referring_physician_name",
                Match.PERSON_NAME, true);
        add("00081030", "StudyDescription", "LO", QidoLevel.STUDY, "st.study_description", Match.TEXT, true);
        add(RETRIEVE_URL, "RetrieveURL", "UR", QidoLevel.STUDY, null, Match.NONE, true);
        add("00100010", "PatientName", "PN", QidoLevel.STUDY, "st.patient_name", Match.PERSON_NAME, true);
        add("00100020", "PatientID", "LO", QidoLevel.STUDY, "st.patient_id", Match.TEXT, true);
        add("00100021", "IssuerOfPatientID", "LO", QidoLevel.STUDY, "st.issuer_of_patient_id", Match.TEXT, true);
        add("00100030", "PatientBirthDate", "DA", QidoLevel.STUDY, "st.patient_birth_date", Match.DATE, true);
        add("00100040", "PatientSex", "CS", QidoLevel.STUDY, "st.patient_sex", Match.TEXT, true);
        add("0020000D", "StudyInstanceUID", "UI", QidoLevel.STUDY, "st.study_instance_uid", Match.UID, true);
        add("00200010", "StudyID", "SH", QidoLevel.STUDY, "st.study_id", Match.TEXT, true);
        add("00201206", "NumberOfStudyRelatedSeries", "IS", QidoLevel.STUDY,
                "(select count(*) from series s2 where s2.study_instance_uid = st.study_instance_uid)", Match.NONE, true);
        add("00201208", "NumberOfStudyRelatedInstances", "IS", QidoLevel.STUDY,
                "(select count(*) from instance i2 where i2.study_instance_uid = st.study_instance_uid)", Match.NONE, true);
        // Series
        add("00080060", "Modality", "CS", QidoLevel.SERIES, "se.modality", Match.CODE_LIST, true);
        add("0008103E", "SeriesDescription", "LO", QidoLevel.SERIES, "se.series_description", Match.TEXT, true);
        add("0020000E", "SeriesInstanceUID", "UI", QidoLevel.SERIES, "se.series_instance_uid", Match.UID, true);
        add("00200011", "SeriesNumber", "IS", QidoLevel.SERIES, "se.series_number", Match.NUMBER, true);
        add("00201209", "NumberOfSeriesRelatedInstances", "IS", QidoLevel.SERIES,
                "(select count(*) from instance i2 where i2.series_instance_uid = se.series_instance_uid)", Match.NONE, true);
        // Instance
        add("00080016", "SOPClassUID", "UI", QidoLevel.INSTANCE, "i.sop_class_uid", Match.UID, true);
        add("00080018", "SOPInstanceUID", "UI", QidoLevel.INSTANCE, "i.sop_instance_uid", Match.UID, true);
        add("00083002", "AvailableTransferSyntaxUID", "UI", QidoLevel.INSTANCE, "i.transfer_syntax_uid", Match.UID, true);
        add("00200013", "InstanceNumber", "IS", QidoLevel.INSTANCE, "i.instance_number", Match.NUMBER, true);
        add("00280008", "NumberOfFrames", "IS", QidoLevel.INSTANCE, "i.number_of_frames", Match.NUMBER, true);
        add("00280010", "Rows", "US", QidoLevel.INSTANCE, "i.rows_", Match.NUMBER, true);
        add("00280011", "Columns", "US", QidoLevel.INSTANCE, "i.columns_", Match.NUMBER, true);
        add("00280100", "BitsAllocated", "US", QidoLevel.INSTANCE, "i.bits_allocated", Match.NUMBER, true);
    }

    private static void add(String tag, String keyword, String vr, QidoLevel level, String sql, Match match,
            boolean byDefault) {
        QidoAttribute a = new QidoAttribute(tag, keyword, vr, level, sql, match, byDefault);
        BY_TAG.put(tag, a);
        BY_KEYWORD.put(keyword.toLowerCase(Locale.ROOT), a);
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
     * Attributes returned by default for a search at {@code level}; those of higher levels too when the path
     * does not fix them. RetrieveURL is not listed: it names the returned entity and is always added.
     */
    public static List<QidoAttribute> defaults(QidoLevel level, boolean withStudy, boolean withSeries) {
        return BY_TAG.values().stream().filter(a -> a.sql() != null && a.returnedByDefault() && (a.level() == level
                || (a.level() == QidoLevel.STUDY && (withStudy || a.keyword().equals("StudyInstanceUID")))
                || (a.level() == QidoLevel.SERIES && level == QidoLevel.INSTANCE
                        && (withSeries || a.keyword().equals("SeriesInstanceUID")))))
                .toList();
    }

    /** Whether this attribute can be read at {@code level} (its own level or a higher one). */
    public boolean availableAt(QidoLevel queryLevel) {
        return level.ordinal() <= queryLevel.ordinal();
    }
}
