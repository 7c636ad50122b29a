package io.ponte.hub.federation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.ponte.dicom.UID;
import io.ponte.dicomweb.DicomJson;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.registry.ImagingStudyEntity;
import io.ponte.hub.registry.ImagingStudyRepository;
import io.ponte.hub.registry.RegistryAccess;
import io.ponte.role.PonteConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * QIDO-RS at the hub, answered from the registry alone (no fan-out to nodes): studies from the
 * registered ImagingStudy rows and their patients, series and instances of one study from its
 * stored ImagingStudy. Clinicians see every study, patients only their own (through identity
 * links); every query is audited, refusals included. A page is bounded by {@code limit}; it is
 * rendered into a bounded buffer so that the audit (which names the studies returned) commits
 * before a byte is sent.
 */
@ApplicationScoped
public class HubQidoService {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Inject RegistryAccess access;

  @Inject AuditTrail audit;

  @Inject ImagingStudyRepository studies;

  @Inject IdentityService identity;

  @Inject PonteConfig ponte;

  @Inject FederationConfig config;

  @Inject ConsentEnforcement consent;

  // Looked up lazily: on a node the hub datasource is inactive and must not be touched.
  @Inject
  @DataSource("hub")
  InjectableInstance<AgroalDataSource> dataSource;

  /** The answer: the DICOM JSON bytes of one bounded page, and Warning headers. */
  public record Answer(byte[] json, List<String> warnings) {
    public StreamingOutput body() {
      return out -> out.write(json);
    }
  }

  @Transactional
  public Answer studies(Map<String, List<String>> params) {
    AccessAudited.Builder record = audit.about(AuditAction.SEARCH, "DICOMweb QIDO-RS studies");
    try {
      RegistryAccess.StudyReader reader = access.requireStudyReader();
      HubQidoQuery q =
          HubQidoQuery.of(
              params,
              reader.restricted() ? reader.patientRegionalId() : null,
              config.qidoDefaultLimit(),
              config.qidoMaxLimit());
      record.query(String.join("&", q.described));
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      int count = 0;
      ConsentEnforcement.Filter filter;
      try (Connection c = dataSource.get().getConnection();
          // Scrollable: the page's studies are decided on together (one pass), then written.
          PreparedStatement ps =
              c.prepareStatement(
                  q.sql(), ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY)) {
        int i = 1;
        for (Object arg : q.args) {
          if (arg instanceof String[] values) {
            Array array = c.createArrayOf("varchar", values);
            ps.setArray(i++, array);
          } else {
            ps.setObject(i++, arg);
          }
        }
        ps.setInt(i++, q.limit);
        ps.setInt(i, q.offset);
        try (ResultSet rs = ps.executeQuery();
            JsonGenerator g = RegistryDicomJson.JSON.createGenerator(out)) {
          List<ConsentDecisions.Subject> subjects = new java.util.ArrayList<>();
          while (rs.next()) {
            subjects.add(
                new ConsentDecisions.Subject(rs.getString(1), rs.getString(11), rs.getString(2)));
          }
          filter = consent.filter(subjects);
          rs.beforeFirst();
          g.writeStartArray();
          while (rs.next()) {
            if (!filter.shows(rs.getString(1))) {
              continue;
            }
            writeStudy(rs, g);
            record.studyUid(rs.getString(1)).patientId(rs.getString(11));
            count++;
          }
          g.writeEndArray();
        }
      } catch (SQLException | IOException e) {
        throw new ProblemException(
            ErrorCode.INTERNAL, "the registry could not be searched", Map.of(), e);
      }
      record.detail(count + " studies" + (filter.filtered() ? "; some withheld by consent" : ""));
      audit.succeeded(record);
      return new Answer(out.toByteArray(), filter.warnings(q.warnings));
    } catch (ProblemException e) {
      audit.refused(record, e);
      throw e;
    }
  }

  private void writeStudy(ResultSet rs, JsonGenerator g) throws SQLException, IOException {
    String uid = rs.getString(1);
    OffsetDateTime started = rs.getObject(3, OffsetDateTime.class);
    RegistryDicomJson.StudyFacts facts = RegistryDicomJson.StudyFacts.read(rs.getString(4));
    LocalDate birth = rs.getObject(9, LocalDate.class);
    g.writeStartObject();
    DicomJson.element(g, "00080020", "DA", RegistryDicomJson.date(started));
    DicomJson.element(g, "00080030", "TM", RegistryDicomJson.time(started));
    DicomJson.element(g, "00080050", "SH", facts.accession());
    DicomJson.element(g, "00080056", "CS", "ONLINE");
    DicomJson.element(g, "00080061", "CS", rs.getString(12));
    DicomJson.element(g, "00081030", "LO", facts.description());
    DicomJson.element(g, "00081190", "UR", hubBase() + "/dicomweb/studies/" + uid);
    DicomJson.element(
        g, "00100010", "PN", RegistryDicomJson.personName(rs.getString(7), rs.getString(8)));
    DicomJson.element(g, "00100020", "LO", rs.getString(6));
    DicomJson.element(g, "00100021", "LO", rs.getString(5));
    DicomJson.element(
        g, "00100030", "DA", birth == null ? null : birth.toString().replace("-", ""));
    DicomJson.element(g, "00100040", "CS", RegistryDicomJson.sex(rs.getString(10)));
    DicomJson.element(g, "0020000D", "UI", uid);
    DicomJson.element(g, "00201206", "IS", facts.numberOfSeries());
    DicomJson.element(g, "00201208", "IS", facts.numberOfInstances());
    g.writeEndObject();
  }

  /**
   * Series (or, with {@code instances}, instances) of one registered study, from its stored
   * ImagingStudy; {@code seriesUid} narrows to one series. Simple filters: SeriesInstanceUID,
   * Modality, SOPInstanceUID, SOPClassUID.
   */
  @Transactional
  public Answer seriesOrInstances(
      String studyUid, String seriesUid, boolean instances, Map<String, List<String>> params) {
    AccessAudited.Builder record =
        audit
            .about(
                AuditAction.SEARCH,
                instances ? "DICOMweb QIDO-RS instances" : "DICOMweb QIDO-RS series")
            .studyUid(studyUid);
    try {
      RegistryAccess.StudyReader reader = access.requireStudyReader();
      requireUid("StudyInstanceUID", studyUid);
      if (seriesUid != null) {
        requireUid("SeriesInstanceUID", seriesUid);
      }
      ImagingStudyEntity study = ownedStudy(reader, studyUid, record);
      Filters filters = Filters.of(params);
      ConsentEnforcement.Filter withheld =
          consent.filter(
              List.of(new ConsentDecisions.Subject(studyUid, study.patientId, study.siteId)));
      if (withheld.filtered()) {
        record.detail("withheld by consent");
        audit.succeeded(record);
        return new Answer("[]".getBytes(), withheld.warnings(filters.warnings));
      }
      record.query(filters.describe());
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      JsonNode resource = MAPPER.readTree(study.resourceJson);
      try (JsonGenerator g = RegistryDicomJson.JSON.createGenerator(out)) {
        g.writeStartArray();
        for (JsonNode series : resource.path("series")) {
          String se = series.path("uid").asText();
          String modality = series.path("modality").path("code").asText(null);
          if ((seriesUid != null && !seriesUid.equals(se)) || !filters.series(se, modality)) {
            continue;
          }
          if (!instances) {
            writeSeries(g, studyUid, series, se, modality);
            continue;
          }
          for (JsonNode instance : series.path("instance")) {
            String sop = instance.path("uid").asText();
            String sopClass =
                RegistryDicomJson.oid(instance.path("sopClass").path("code").asText(null));
            if (filters.instance(sop, sopClass)) {
              writeInstance(g, studyUid, se, modality, instance, sop, sopClass);
            }
          }
        }
        g.writeEndArray();
      }
      audit.succeeded(record);
      return new Answer(out.toByteArray(), filters.warnings);
    } catch (ProblemException e) {
      audit.refused(record, e);
      throw e;
    } catch (IOException e) {
      ProblemException p =
          new ProblemException(
              ErrorCode.INTERNAL, "the registered study could not be read", Map.of(), e);
      audit.refused(record, p);
      throw p;
    }
  }

  private void writeSeries(
      JsonGenerator g, String study, JsonNode series, String se, String modality)
      throws IOException {
    g.writeStartObject();
    DicomJson.element(g, "00080060", "CS", modality);
    DicomJson.element(g, "0008103E", "LO", series.path("description").asText(null));
    DicomJson.element(
        g, "00081190", "UR", hubBase() + "/dicomweb/studies/" + study + "/series/" + se);
    DicomJson.element(g, "0020000D", "UI", study);
    DicomJson.element(g, "0020000E", "UI", se);
    DicomJson.element(
        g, "00200011", "IS", series.has("number") ? series.path("number").asInt() : null);
    DicomJson.element(
        g,
        "00201209",
        "IS",
        series.has("numberOfInstances")
            ? series.path("numberOfInstances").asInt()
            : series.path("instance").size());
    g.writeEndObject();
  }

  private void writeInstance(
      JsonGenerator g,
      String study,
      String se,
      String modality,
      JsonNode instance,
      String sop,
      String sopClass)
      throws IOException {
    g.writeStartObject();
    DicomJson.element(g, "00080016", "UI", sopClass);
    DicomJson.element(g, "00080018", "UI", sop);
    DicomJson.element(g, "00080060", "CS", modality);
    DicomJson.element(
        g,
        "00081190",
        "UR",
        hubBase() + "/dicomweb/studies/" + study + "/series/" + se + "/instances/" + sop);
    DicomJson.element(g, "0020000D", "UI", study);
    DicomJson.element(g, "0020000E", "UI", se);
    DicomJson.element(
        g, "00200013", "IS", instance.has("number") ? instance.path("number").asInt() : null);
    g.writeEndObject();
  }

  /**
   * The registered study, if the reader may see it: 404 when unknown, 403 for a patient when it is
   * not theirs. Shared by QIDO and the WADO proxy.
   */
  ImagingStudyEntity ownedStudy(
      RegistryAccess.StudyReader reader, String studyUid, AccessAudited.Builder record) {
    ImagingStudyEntity study =
        studies
            .findByUid(studyUid)
            .orElseThrow(
                () -> new ProblemException(ErrorCode.NOT_FOUND, "no registered study " + studyUid));
    record.patientId(study.patientId);
    if (reader.restricted()
        && !identity.patientIdsOf(reader.patientRegionalId()).contains(study.patientId)) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "this study is not one of yours");
    }
    return study;
  }

  static void requireUid(String what, String uid) {
    if (!UID.isValid(uid)) {
      throw new ProblemException(
          ErrorCode.INVALID_UID, what + " is not a valid DICOM UID: " + HubQidoQuery.shorten(uid));
    }
  }

  private String hubBase() {
    String url = ponte.publicUrl();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Series/instance-level matching on what the ImagingStudy lists. */
  private record Filters(
      String seriesUid, String modality, String sopUid, String sopClass, List<String> warnings) {

    static Filters of(Map<String, List<String>> params) {
      String series = null;
      String modality = null;
      String sop = null;
      String sopClass = null;
      List<String> warnings = new java.util.ArrayList<>();
      for (Map.Entry<String, List<String>> e : params.entrySet()) {
        String v = e.getValue().isEmpty() ? "" : e.getValue().get(0);
        switch (e.getKey().toLowerCase(java.util.Locale.ROOT)) {
          case "seriesinstanceuid", "0020000e" -> series = uidOrNull(e.getKey(), v);
          case "modality", "00080060" -> modality = v.isEmpty() || v.equals("*") ? null : v;
          case "sopinstanceuid", "00080018" -> sop = uidOrNull(e.getKey(), v);
          case "sopclassuid", "00080016" -> sopClass = uidOrNull(e.getKey(), v);
          case "limit", "offset", "includefield", "fuzzymatching" -> {
            // pages of one study's series are small; all are returned
          }
          default -> {
            if (!e.getKey().matches("[0-9A-Fa-f]{8}")
                && io.ponte.dicom.ElementDictionary.tagForKeyword(e.getKey()) < 0) {
              throw HubQidoQuery.bad(
                  "unknown attribute or parameter: " + HubQidoQuery.shorten(e.getKey()));
            }
            warnings.add(
                "299 ponte \"matching on "
                    + e.getKey()
                    + " is not supported at the hub and was ignored\"");
          }
        }
      }
      return new Filters(series, modality, sop, sopClass, warnings);
    }

    private static String uidOrNull(String key, String v) {
      if (v.isEmpty() || v.equals("*")) {
        return null;
      }
      requireUid(key, v);
      return v;
    }

    boolean series(String uid, String mod) {
      return (seriesUid == null || seriesUid.equals(uid))
          && (modality == null || modality.equals(mod));
    }

    boolean instance(String uid, String cls) {
      return (sopUid == null || sopUid.equals(uid)) && (sopClass == null || sopClass.equals(cls));
    }

    String describe() {
      return "series=" + seriesUid + "&modality=" + modality + "&sop=" + sopUid;
    }
  }
}
