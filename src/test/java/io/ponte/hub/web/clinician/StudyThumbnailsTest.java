package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.StreamingOutput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;

/** Which instance stands for a study, and how its bytes are taken out of a WADO-RS answer. */
class StudyThumbnailsTest {

  @Test
  void theMiddleInstanceOfTheFirstImageSeries() {
    ImagingStudy study = new ImagingStudy();
    study
        .addSeries()
        .setUid("1.1")
        .setModality(new Coding(null, "SR", null))
        .addInstance()
        .setUid("1.1.1");
    var ct = study.addSeries().setUid("1.2").setModality(new Coding(null, "CT", null));
    ct.addInstance().setUid("1.2.3").setNumber(3);
    ct.addInstance().setUid("1.2.1").setNumber(1);
    ct.addInstance().setUid("1.2.2").setNumber(2);
    assertThat(StudyThumbnails.representative(study))
        .get()
        .isEqualTo(new String[] {"1.2", "1.2.2"});
    ImagingStudy reportOnly = new ImagingStudy();
    reportOnly.addSeries().setUid("2.1").setModality(new Coding(null, "SR", null)).addInstance();
    assertThat(StudyThumbnails.representative(reportOnly)).isEmpty();
  }

  @Test
  void theFirstPartsBodyExactly() throws IOException {
    String answer =
        "--b1\r\nContent-Type: application/dicom\r\n\r\nDICM\r\nbytes\r\n--b1\r\n"
            + "Content-Type: application/dicom\r\n\r\nsecond\r\n--b1--\r\n";
    StreamingOutput body = out -> out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(StudyThumbnails.firstPart(body, "b1"), StandardCharsets.ISO_8859_1))
        .isEqualTo("DICM\r\nbytes");
    StreamingOutput cut = out -> out.write("--b1\r\n\r\nDICM".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> StudyThumbnails.firstPart(cut, "b1")).isInstanceOf(IOException.class);
  }

  @Test
  void thePlaceholderIsAJpeg() throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(StudyThumbnails.placeholder()));
    assertThat(image.getWidth()).isEqualTo(StudyThumbnails.SIZE);
  }
}
