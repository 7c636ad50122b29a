package io.ponte.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The part of the R4 core specification needed to validate a few resource types: their
 * StructureDefinitions, every data type, the profiles and extensions they use, the core extensions
 * named (an extension an instance carries is not named by its type's definition), the resource
 * types their references may point at, and the value sets and code systems of all their bindings.
 *
 * <p>Why: HAPI's core support keeps all of R4 (about 650 StructureDefinitions, twice: as R4 and as
 * the R5 the validator works in, plus every value set and code system), some 200 MB of live heap. A
 * hub that only validates what nodes publish does not need most of it, and that heap is what its
 * DICOMweb proxy needs to stream with few collections. The subset gives the same verdicts on those
 * types (tested against the full core in {@code CoreProfileSubsetTest}).
 */
public final class CoreProfileSubset {

  private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";

  private CoreProfileSubset() {}

  /**
   * A support holding the subset for {@code resourceTypes}. Reads the full core once and then
   * releases it: HAPI caches the core per FHIR version for the whole process, so the cache is
   * flushed here.
   */
  public static PrePopulatedValidationSupport of(
      FhirContext context, Set<String> resourceTypes, Set<String> extensions) {
    DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(context);
    try {
      return select(context, core, resourceTypes, extensions);
    } finally {
      core.flush();
    }
  }

  private static PrePopulatedValidationSupport select(
      FhirContext context,
      DefaultProfileValidationSupport core,
      Set<String> resourceTypes,
      Set<String> extensions) {
    Map<String, StructureDefinition> kept = new LinkedHashMap<>();
    Deque<String> followAll = new ArrayDeque<>();
    Deque<String> baseOnly = new ArrayDeque<>();
    for (StructureDefinition sd : core.<StructureDefinition>fetchAllStructureDefinitions()) {
      boolean dataType =
          sd.getKind() == StructureDefinition.StructureDefinitionKind.PRIMITIVETYPE
              || sd.getKind() == StructureDefinition.StructureDefinitionKind.COMPLEXTYPE;
      if (dataType && sd.getDerivation() == StructureDefinition.TypeDerivationRule.SPECIALIZATION) {
        followAll.add(sd.getUrl());
      }
    }
    resourceTypes.forEach(type -> followAll.add(CORE + type));
    followAll.addAll(extensions);
    Set<String> valueSets = new HashSet<>();
    while (!followAll.isEmpty() || !baseOnly.isEmpty()) {
      boolean follow = !followAll.isEmpty();
      String url = unversioned(follow ? followAll.poll() : baseOnly.poll());
      if (kept.containsKey(url)) {
        continue;
      }
      StructureDefinition sd = (StructureDefinition) core.fetchStructureDefinition(url);
      if (sd == null) {
        continue; // an extension or profile outside the core package: the validator reports it if
        // used
      }
      kept.put(url, sd);
      if (sd.hasBaseDefinition()) {
        (follow ? followAll : baseOnly).add(sd.getBaseDefinition());
      }
      for (ElementDefinition element : sd.getSnapshot().getElement()) {
        if (element.hasBinding() && element.getBinding().hasValueSet()) {
          valueSets.add(unversioned(element.getBinding().getValueSet()));
        }
        if (!follow) {
          continue; // a reference target: its own elements' types are data types, kept already
        }
        for (ElementDefinition.TypeRefComponent type : element.getType()) {
          followAll.add(
              type.getWorkingCode().contains(":")
                  ? type.getWorkingCode()
                  : CORE + type.getWorkingCode());
          type.getProfile().forEach(p -> followAll.add(p.getValue()));
          // Targets are checked by type, so they are kept without following their own references
          // (which would pull in nearly every resource of the specification).
          type.getTargetProfile().stream().map(CanonicalType::getValue).forEach(baseOnly::add);
        }
      }
    }
    PrePopulatedValidationSupport subset = new PrePopulatedValidationSupport(context);
    kept.values().forEach(subset::addStructureDefinition);
    addTerminology(core, subset, valueSets);
    return subset;
  }

  private static void addTerminology(
      DefaultProfileValidationSupport core,
      PrePopulatedValidationSupport subset,
      Set<String> roots) {
    Deque<String> valueSets = new ArrayDeque<>(roots);
    Set<String> seen = new HashSet<>();
    Set<String> codeSystems = new HashSet<>();
    while (!valueSets.isEmpty()) {
      String url = valueSets.poll();
      if (!seen.add(url)) {
        continue;
      }
      ValueSet vs = (ValueSet) core.fetchValueSet(url);
      if (vs == null) {
        continue; // e.g. SNOMED CT or LOINC sets, which the core package does not carry
      }
      subset.addValueSet(vs);
      for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
        if (include.hasSystem()) {
          codeSystems.add(unversioned(include.getSystem()));
        }
        include.getValueSet().forEach(v -> valueSets.add(unversioned(v.getValue())));
      }
    }
    for (String url : codeSystems) {
      CodeSystem cs = (CodeSystem) core.fetchCodeSystem(url);
      // Stubs of external systems (SNOMED CT, LOINC, ...) list no codes; held, they would make the
      // validator check codes against an empty list, where the full core leaves those codes alone.
      if (cs != null && cs.getContent() != CodeSystem.CodeSystemContentMode.NOTPRESENT) {
        subset.addCodeSystem(cs);
      }
    }
  }

  private static String unversioned(String canonical) {
    int bar = canonical.indexOf('|');
    return bar < 0 ? canonical : canonical.substring(0, bar);
  }
}
