package io.ponte.hub.dimse;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import java.util.Locale;

/**
 * The Query/Retrieve information models the hub serves (PS3.4 C.6.1, C.6.2) and the level an
 * identifier asks for. Patient Root has PATIENT, STUDY, SERIES and IMAGE levels; Study Root has no
 * PATIENT level.
 */
enum QueryModel {
  PATIENT_ROOT(
      "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3"),
  STUDY_ROOT(
      "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3");

  enum Level {
    PATIENT,
    STUDY,
    SERIES,
    IMAGE
  }

  final String find;
  final String move;
  final String get;

  QueryModel(String find, String move, String get) {
    this.find = find;
    this.move = move;
    this.get = get;
  }

  /** The model of a FIND, MOVE or GET SOP class, or null for any other. */
  static QueryModel of(String sopClassUid) {
    for (QueryModel m : values()) {
      if (m.find.equals(sopClassUid) || m.move.equals(sopClassUid) || m.get.equals(sopClassUid)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The identifier's Query/Retrieve Level, or null when it is absent, unknown, or not one of this
   * model's (answered 0xA900, identifier does not match SOP class).
   */
  Level level(Attributes identifier) {
    String value = identifier.getString(Tag.QueryRetrieveLevel);
    if (value == null) {
      return null;
    }
    Level level;
    try {
      level = Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return this == STUDY_ROOT && level == Level.PATIENT ? null : level;
  }
}
