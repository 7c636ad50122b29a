package io.ponte.hub.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a C-FIND identifier becomes the hub's QIDO-RS query, and how its level is read. */
class DimseFindTest {

  @Test
  void matchingKeysBecomeQidoParametersAndReturnKeysDoNot() {
    Attributes id = new Attributes();
    id.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    id.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
    id.setString(Tag.ModalitiesInStudy, VR.CS, "CT", "MR");
    id.setString(Tag.PatientName, VR.PN, "Gonç*");
    id.setString(Tag.PatientID, VR.LO, "*");
    id.setValue(Tag.StudyInstanceUID, VR.UI, null);
    id.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3", "1.2.4");

    assertThat(DimseFind.matching(id))
        .containsOnlyKeys("00080061", "00100010", "0020000E")
        .containsEntry("00080061", List.of("CT,MR"))
        .containsEntry("00100010", List.of("Gonç*"))
        .containsEntry("0020000E", List.of("1.2.3\\1.2.4"));
  }

  @Test
  void aLevelOutsideTheModelIsNoLevel() {
    Attributes id = new Attributes();
    id.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
    assertThat(QueryModel.PATIENT_ROOT.level(id)).isEqualTo(QueryModel.Level.PATIENT);
    assertThat(QueryModel.STUDY_ROOT.level(id)).isNull();
    id.setString(Tag.QueryRetrieveLevel, VR.CS, "FOO");
    assertThat(QueryModel.PATIENT_ROOT.level(id)).isNull();
    assertThat(QueryModel.STUDY_ROOT.level(new Attributes())).isNull();
    assertThat(QueryModel.of("1.2.840.10008.5.1.4.1.2.2.3")).isEqualTo(QueryModel.STUDY_ROOT);
    assertThat(QueryModel.of("1.2.840.10008.5.1.4.31")).isNull();
  }
}
