package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ponte.dicom.UID;
import io.ponte.dicomweb.DicomJson;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.consent.SearchScope;
import io.ponte.hub.registry.RegisteredStudies;
import io.ponte.hub.registry.RegisteredStudy;
import io.ponte.hub.registry.RegistryAccess;
import io.ponte.hub.registry.StudySummary;
import io.ponte.role.PonteConfig;
import io.ponte.text.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * QIDO-RS at the hub, answered from the registry alone (no fan-out to nodes), through its typed
 * reader {@link RegisteredStudies}: studies with their patients, series and instances of one study.
 * Clinicians see every study, patients only their own (through identity links); every query is
 * audited, refusals included. A page is bounded by {@code limit}; it is rendered into a bounded
 * buffer so that the audit (which names the studies returned) commits before a byte is sent.
 * Studies a clinician may not see under patients' consent are left out, with a Warning header that
 * says so (never which or how many).
 */
@ApplicationScoped
public class HubQidoService {

  @Inject RegistryAccess access;

  @Inject AuditTrail audit;

  @Inject RegisteredStudies registry;

  @Inject PonteConfig ponte;

  @Inject FederationConfig config;

  @Inject ConsentEnforcement consent;

  /** The answer: the DICOM JSON bytes of one bounded page, and Warning headers. */
  public record Answer(byte[] json, List<String> warnings) {
    public StreamingOutput body() {
      return out -> out.write(json);
    }
  }

  @Transactional
  public Answer studies(Map<String, List<String>> params) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "DICOMweb QIDO-RS studies"),
        record -> studies(params, record));
  }

  private Answer studies(Map<String, List<String>> params, AccessAudited.Builder record) {
    RegistryAccess.StudyReader reader = access.requireStudyReader();
    HubQidoQuery q =
        HubQidoQuery.of(
            params,
            reader.restricted() ? reader.patientRegionalId() : null,
            config.qidoDefaultLimit(),
            config.qidoMaxLimit());
    record.query(String.join("&", q.described));
    // Consent is part of the search itself: the database pages over the studies this caller may
    // see, so limit and offset count visible studies only and a page is full when enough exist.
    ConsentEnforcement.Scoped<RegisteredStudies.StudyPage> scoped =
        consent.search(
            scope -> registry.search(q.match, scope, q.limit, q.offset),
            found -> found.studies().isEmpty());
    List<StudySummary> page = scoped.found().studies();
    boolean withheld = scoped.found().withheld();
    consent.shown(scoped.scope(), subjects(page));
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = RegistryDicomJson.JSON.createGenerator(out)) {
      g.writeStartArray();
      for (StudySummary study : page) {
        writeStudy(study, g);
        record.studyUid(study.studyUid()).patientId(study.patient().id());
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the registry could not be searched", Map.of(), e);
    }
    record.detail(page.size() + " studies" + (withheld ? "; some withheld by consent" : ""));
    return new Answer(out.toByteArray(), ConsentEnforcement.warnings(withheld, q.warnings));
  }

  private static List<ConsentDecisions.Subject> subjects(List<StudySummary> studies) {
    return studies.stream()
        .map(st -> new ConsentDecisions.Subject(st.studyUid(), st.patient().id(), st.siteId()))
        .toList();
  }

  private void writeStudy(StudySummary s, JsonGenerator g) throws IOException {
    StudySummary.Patient p = s.patient();
    LocalDate birth = p.birthDate();
    g.writeStartObject();
    DicomJson.element(g, "00080020", "DA", RegistryDicomJson.date(s.started()));
    DicomJson.element(g, "00080030", "TM", RegistryDicomJson.time(s.started()));
    DicomJson.element(g, "00080050", "SH", s.accessionNumber());
    DicomJson.element(g, "00080056", "CS", "ONLINE");
    DicomJson.element(g, "00080061", "CS", String.join("\\", s.modalities()));
    DicomJson.element(g, "00081030", "LO", s.description());
    DicomJson.element(g, "00081190", "UR", hubBase() + "/dicomweb/studies/" + s.studyUid());
    DicomJson.element(
        g,
        "00100010",
        "PN",
        RegistryDicomJson.personName(
            RegistryDicomJson.personName(p.familyName(), p.givenNames()),
            p.ideographic(),
            p.phonetic()));
    DicomJson.element(g, "00100020", "LO", p.value());
    DicomJson.element(g, "00100021", "LO", p.system());
    DicomJson.element(
        g, "00100030", "DA", birth == null ? null : birth.toString().replace("-", ""));
    DicomJson.element(g, "00100040", "CS", RegistryDicomJson.sex(p.gender()));
    DicomJson.element(g, "0020000D", "UI", s.studyUid());
    DicomJson.element(g, "00201206", "IS", s.numberOfSeries());
    DicomJson.element(g, "00201208", "IS", s.numberOfInstances());
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
    return audit.around(
        audit
            .about(
                AuditAction.SEARCH,
                instances ? "DICOMweb QIDO-RS instances" : "DICOMweb QIDO-RS series")
            .studyUid(studyUid),
        record -> seriesOrInstances(studyUid, seriesUid, instances, params, record));
  }

  private Answer seriesOrInstances(
      String studyUid,
      String seriesUid,
      boolean instances,
      Map<String, List<String>> params,
      AccessAudited.Builder record) {
    RegistryAccess.StudyReader reader = access.requireStudyReader();
    requireUid("StudyInstanceUID", studyUid);
    if (seriesUid != null) {
      requireUid("SeriesInstanceUID", seriesUid);
    }
    RegisteredStudy study = registry.visible(reader, studyUid, record);
    Filters filters = Filters.of(params);
    ConsentEnforcement.Filter withheld =
        consent.filter(
            List.of(new ConsentDecisions.Subject(studyUid, study.patientId(), study.siteId())));
    if (withheld.filtered()) {
      // Empty, with the withheld Warning: like the withheld notice on a search for one exact
      // identifier (docs/security.md), it tells the clinician consent withholds the study, so that
      // she may ask for emergency access; it shows nothing of it.
      record.detail("withheld by consent");
      return new Answer(
          "[]".getBytes(StandardCharsets.US_ASCII), withheld.warnings(filters.warnings));
    }
    record.query(filters.describe());
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = RegistryDicomJson.JSON.createGenerator(out)) {
      g.writeStartArray();
      for (RegisteredStudy.Series series : registry.series(study)) {
        String se = series.uid();
        if ((seriesUid != null && !seriesUid.equals(se))
            || !filters.series(se, series.modality())) {
          continue;
        }
        if (!instances) {
          writeSeries(g, studyUid, series);
          continue;
        }
        for (RegisteredStudy.Instance instance : series.instances()) {
          if (filters.instance(instance.uid(), instance.sopClassUid())) {
            writeInstance(g, studyUid, series, instance);
          }
        }
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the registered study could not be read", Map.of(), e);
    }
    return new Answer(out.toByteArray(), filters.warnings);
  }

  /** Keys answered per series or instance; the others match the studies they belong to. */
  private static final java.util.Set<String> BELOW_STUDY =
      java.util.Set.of(
          "seriesinstanceuid",
          "0020000e",
          "modality",
          "00080060",
          "sopinstanceuid",
          "00080018",
          "sopclassuid",
          "00080016",
          "limit",
          "offset");

  /**
   * {@code /series} or {@code /instances} without a study (PS3.18 10.6.1): study-level keys
   * (PatientID, StudyDate...) choose the studies, as {@code /studies} does; series and instance
   * keys filter within them; {@code limit} and {@code offset} page the series or instances
   * returned.
   */
  @Transactional
  public Answer acrossStudies(boolean instances, Map<String, List<String>> params) {
    return audit.around(
        audit.about(
            AuditAction.SEARCH,
            instances ? "DICOMweb QIDO-RS instances" : "DICOMweb QIDO-RS series"),
        record -> acrossStudies(instances, params, record));
  }

  private Answer acrossStudies(
      boolean instances, Map<String, List<String>> params, AccessAudited.Builder record) {
    RegistryAccess.StudyReader reader = access.requireStudyReader();
    Map<String, List<String>> studyKeys = new java.util.LinkedHashMap<>();
    Map<String, List<String>> belowKeys = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
      (BELOW_STUDY.contains(k) ? belowKeys : studyKeys).put(e.getKey(), e.getValue());
      if (k.equals("includefield") || k.equals("fuzzymatching")) {
        belowKeys.put(e.getKey(), e.getValue());
      }
    }
    HubQidoQuery page =
        HubQidoQuery.of(
            belowKeys.entrySet().stream()
                .filter(
                    e ->
                        e.getKey().equalsIgnoreCase("limit")
                            || e.getKey().equalsIgnoreCase("offset"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
            null,
            config.qidoDefaultLimit(),
            config.qidoMaxLimit());
    HubQidoQuery q =
        HubQidoQuery.of(
            studyKeys,
            reader.restricted() ? reader.patientRegionalId() : null,
            config.qidoMaxLimit(),
            config.qidoMaxLimit());
    Filters filters = Filters.of(belowKeys);
    record.query(String.join("&", q.described) + " " + filters.describe());
    List<String> warnings = new java.util.ArrayList<>(q.warnings);
    warnings.addAll(filters.warnings);
    warnings.addAll(page.warnings);
    // Only the studies this caller may see are walked (consent in the study search's SQL).
    SearchScope scope = consent.scope();
    RegisteredStudies.StudyPage found = registry.search(q.match, scope, q.limit, 0);
    List<StudySummary> studies = found.studies();
    if (found.withheld()) {
      warnings.add(ConsentEnforcement.FILTERED_WARNING);
    }
    consent.shown(scope, subjects(studies));
    int skip = page.offset;
    int left = page.limit;
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = RegistryDicomJson.JSON.createGenerator(out)) {
      g.writeStartArray();
      studies:
      for (StudySummary summary : studies) {
        RegisteredStudy study = registry.visible(reader, summary.studyUid(), record);
        for (RegisteredStudy.Series series : registry.series(study)) {
          if (!filters.series(series.uid(), series.modality())) {
            continue;
          }
          if (!instances) {
            if (skip > 0) {
              skip--;
            } else if (left-- > 0) {
              writeSeries(g, study.studyUid(), series);
            } else {
              break studies;
            }
            continue;
          }
          for (RegisteredStudy.Instance instance : series.instances()) {
            if (!filters.instance(instance.uid(), instance.sopClassUid())) {
              continue;
            }
            if (skip > 0) {
              skip--;
            } else if (left-- > 0) {
              writeInstance(g, study.studyUid(), series, instance);
            } else {
              break studies;
            }
          }
        }
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the registry could not be searched", Map.of(), e);
    }
    return new Answer(out.toByteArray(), warnings);
  }

  private void writeSeries(JsonGenerator g, String study, RegisteredStudy.Series series)
      throws IOException {
    g.writeStartObject();
    DicomJson.element(g, "00080060", "CS", series.modality());
    DicomJson.element(g, "0008103E", "LO", series.description());
    DicomJson.element(
        g, "00081190", "UR", hubBase() + "/dicomweb/studies/" + study + "/series/" + series.uid());
    DicomJson.element(g, "0020000D", "UI", study);
    DicomJson.element(g, "0020000E", "UI", series.uid());
    DicomJson.element(g, "00200011", "IS", series.number());
    DicomJson.element(g, "00201209", "IS", series.numberOfInstances());
    g.writeEndObject();
  }

  private void writeInstance(
      JsonGenerator g,
      String study,
      RegisteredStudy.Series series,
      RegisteredStudy.Instance instance)
      throws IOException {
    String se = series.uid();
    g.writeStartObject();
    DicomJson.element(g, "00080016", "UI", instance.sopClassUid());
    DicomJson.element(g, "00080018", "UI", instance.uid());
    DicomJson.element(g, "00080060", "CS", series.modality());
    DicomJson.element(
        g,
        "00081190",
        "UR",
        hubBase()
            + "/dicomweb/studies/"
            + study
            + "/series/"
            + se
            + "/instances/"
            + instance.uid());
    DicomJson.element(g, "0020000D", "UI", study);
    DicomJson.element(g, "0020000E", "UI", se);
    DicomJson.element(g, "00200013", "IS", instance.number());
    g.writeEndObject();
  }

  public static void requireUid(String what, String uid) {
    if (!UID.isValid(uid)) {
      throw new ProblemException(
          ErrorCode.INVALID_UID, what + " is not a valid DICOM UID: " + HubQidoQuery.shorten(uid));
    }
  }

  private String hubBase() {
    return Urls.withoutTrailingSlash(ponte.publicUrl());
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
