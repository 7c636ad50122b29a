package io.ponte.node.retention;

/** Why a study is kept as long as it is. UNDECIDED is kept as long as INPATIENT (the longer). */
public enum RetentionClass {
  OUTPATIENT,
  INPATIENT,
  UNDECIDED
}
