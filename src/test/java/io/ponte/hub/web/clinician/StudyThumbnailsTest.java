package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The timeline's fallback picture. Which instance stands for a study is the node's choice ({@code
 * RenderedResourceTest}).
 */
class StudyThumbnailsTest {

  @Test
  void thePlaceholderIsAJpeg() throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(StudyThumbnails.placeholder()));
    assertThat(image.getWidth()).isEqualTo(StudyThumbnails.SIZE);
  }
}
