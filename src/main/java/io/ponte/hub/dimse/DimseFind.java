package io.ponte.hub.dimse;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.ElementDictionary;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import io.ponte.dicom.json.DicomJsonReader;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.QueryRetrieveHandler.Responder;
import io.ponte.hub.dicomweb.FederationConfig;
import io.ponte.hub.dicomweb.HubQidoService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C-FIND at the hub, answered by the hub's QIDO-RS service (the registry, the caller's consent
 * filter and audit, exactly as for {@code /dicomweb}): the identifier's matching keys become QIDO
 * query parameters, each QIDO result one pending response carrying the requested keys (empty when
 * the hub does not know them). PATIENT level folds the matching studies by patient.
 */
@ApplicationScoped
class DimseFind {

  /** NumberOfPatientRelatedStudies (0020,1200). */
  static final int NUMBER_OF_PATIENT_RELATED_STUDIES = 0x00201200;

  private static final int RETRIEVE_AE_TITLE = 0x00080054;

  @Inject HubQidoService qido;

  @Inject FederationConfig federation;

  DimseStatus find(
      QueryModel.Level level, Attributes identifier, String hubAeTitle, Responder responder)
      throws IOException {
    HubQidoService.Answer answer = query(level, identifier);
    List<Attributes> results;
    try (DicomJsonReader reader = DicomJsonReader.of(new ByteArrayInputStream(answer.json()))) {
      results = reader.readDatasets();
    }
    if (level == QueryModel.Level.PATIENT) {
      results = patients(results);
    }
    for (Attributes result : results) {
      if (responder.cancelled()) {
        return DimseStatus.of(DimseStatus.CANCEL, "cancelled");
      }
      responder.match(response(identifier, result, level, hubAeTitle));
    }
    return DimseStatus.OK;
  }

  private HubQidoService.Answer query(QueryModel.Level level, Attributes identifier) {
    Map<String, List<String>> params = matching(identifier);
    String study = single(identifier, Tag.StudyInstanceUID);
    String series = single(identifier, Tag.SeriesInstanceUID);
    switch (level) {
      case PATIENT, STUDY -> {
        params.put("limit", List.of(Integer.toString(federation.qidoMaxLimit())));
        return qido.studies(params);
      }
      default -> {
        boolean instances = level == QueryModel.Level.IMAGE;
        if (study != null) {
          params.keySet().removeIf(k -> k.equals(hex(Tag.StudyInstanceUID)));
          if (instances && series != null) {
            params.keySet().removeIf(k -> k.equals(hex(Tag.SeriesInstanceUID)));
            return qido.seriesOrInstances(study, series, true, params);
          }
          return qido.seriesOrInstances(study, null, instances, params);
        }
        params.put("limit", List.of(Integer.toString(federation.qidoMaxLimit())));
        return qido.acrossStudies(instances, params);
      }
    }
  }

  /**
   * The identifier's non-empty keys as QIDO parameters (tags in hex, multiple values joined by
   * backslash, which QIDO reads as a list where it allows one); sequences are not matched.
   */
  static Map<String, List<String>> matching(Attributes identifier) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (Attributes.Element e : identifier) {
      int tag = e.tag();
      if (tag == Tag.QueryRetrieveLevel
          || tag == Tag.SpecificCharacterSet
          || e.vr() == VR.SQ
          || (tag >>> 16) == 0x0002) {
        continue;
      }
      String value = joined(identifier, tag);
      if (value.isEmpty() || value.equals("*")) {
        continue;
      }
      if (tag == Tag.ModalitiesInStudy) {
        value = value.replace('\\', ',');
      }
      params.put(hex(tag), List.of(value));
    }
    return params;
  }

  /** All values of {@code tag}, backslash-separated, trimmed; "" when it has none. */
  static String joined(Attributes identifier, int tag) {
    List<String> values = new ArrayList<>();
    for (String v : identifier.getStrings(tag)) {
      if (v != null && !v.isBlank()) {
        values.add(v.trim());
      }
    }
    return String.join("\\", values);
  }

  static String hex(int tag) {
    return String.format("%08X", tag);
  }

  private static String single(Attributes identifier, int tag) {
    String value = joined(identifier, tag);
    return value.isEmpty() || value.contains("\\") || value.contains("*") ? null : value;
  }

  /** Studies folded to one entry per patient (identifier and issuer), counting their studies. */
  private static List<Attributes> patients(List<Attributes> studies) {
    Map<String, Attributes> byPatient = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Attributes s : studies) {
      String key = s.getString(Tag.PatientID, "") + "|" + s.getString(Tag.IssuerOfPatientID, "");
      byPatient.putIfAbsent(key, s);
      counts.merge(key, 1, Integer::sum);
    }
    List<Attributes> out = new ArrayList<>(byPatient.size());
    byPatient.forEach(
        (key, s) -> {
          Attributes p = new Attributes(s);
          p.setString(NUMBER_OF_PATIENT_RELATED_STUDIES, VR.IS, Integer.toString(counts.get(key)));
          out.add(p);
        });
    return out;
  }

  /**
   * One match as PS3.4 C.4.1.1.3.2 asks: every key of the request, with the value the hub has or
   * empty; the level; UTF-8 as the character set (names come from every site's spelling).
   */
  private static Attributes response(
      Attributes identifier, Attributes result, QueryModel.Level level, String hubAeTitle) {
    Attributes r = new Attributes(identifier.size() + 3);
    r.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    for (Attributes.Element e : identifier) {
      int tag = e.tag();
      if (tag == Tag.SpecificCharacterSet || (tag >>> 16) == 0x0002) {
        continue;
      }
      VR vr = e.vr() != null ? e.vr() : ElementDictionary.vrOf(tag);
      String values = result.contains(tag) ? joined(result, tag) : "";
      if (vr == VR.SQ || values.isEmpty()) {
        r.setValue(tag, vr, null);
      } else {
        r.setString(tag, vr, values.split("\\\\"));
      }
    }
    r.setString(Tag.QueryRetrieveLevel, VR.CS, level.name());
    r.setString(RETRIEVE_AE_TITLE, VR.AE, hubAeTitle);
    return r;
  }
}
