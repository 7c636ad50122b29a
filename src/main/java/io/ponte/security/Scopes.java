package io.ponte.security;

/** SMART on FHIR v2 scopes Ponte checks beside the role (realm-config client scopes). */
public final class Scopes {
  public static final String USER_IMAGING_STUDY_READ = "user/ImagingStudy.rs";
  public static final String USER_PATIENT_READ = "user/Patient.rs";
  public static final String PATIENT_IMAGING_STUDY_READ = "patient/ImagingStudy.rs";
  public static final String SYSTEM_IMAGING_STUDY_WRITE = "system/ImagingStudy.cu";
  public static final String SYSTEM_IMAGING_STUDY_READ = "system/ImagingStudy.rs";

  private Scopes() {}
}
