package io.ponte.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.error.ProblemException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering parameters are checked once and forwarded in one canonical form. */
class RenderingParametersTest {

  @Test
  void aCanonicalQueryOfWhatWasChecked() {
    RenderingParameters p =
        RenderingParameters.of(
            List.of(),
            Map.of(
                "window", List.of(" 40 , 400.5 ,SIGMOID"),
                "viewport", List.of("256,128,0,0,100,50"),
                "quality", List.of("80"),
                "annotation", List.of("patient")),
            null);
    assertThat(p.mediaType()).isEqualTo("image/jpeg");
    assertThat(p.query())
        .isEqualTo("?window=40,400.5,sigmoid&viewport=256,128,0,0,100,50&quality=80");
    assertThat(RenderingParameters.of(List.of(), Map.of(), null).query()).isEmpty();
  }

  @Test
  void theFirstImageTypeTheCallerAccepts() {
    assertThat(
            RenderingParameters.mediaType(
                List.of(MediaType.valueOf("image/png"), MediaType.valueOf("image/jpeg"))))
        .isEqualTo("image/png");
    assertThat(RenderingParameters.mediaType(List.of(MediaType.valueOf("image/*"))))
        .isEqualTo("image/jpeg");
    assertThatThrownBy(() -> RenderingParameters.mediaType(List.of(MediaType.valueOf("image/gif"))))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("image/png");
  }

  @Test
  void repeatedOrMalformedParametersAre400() {
    assertThatThrownBy(
            () -> RenderingParameters.of(List.of(), Map.of("quality", List.of("5", "6")), null))
        .hasMessageContaining("more than once");
    assertThatThrownBy(() -> RenderingParameters.viewport("10,10,1")).hasMessageContaining("vw,vh");
    assertThatThrownBy(() -> RenderingParameters.viewport("5000,10")).hasMessageContaining("4096");
    assertThatThrownBy(() -> RenderingParameters.window("1,Infinity"))
        .hasMessageContaining("number");
    assertThatThrownBy(() -> RenderingParameters.frameNumber("1,2"))
        .hasMessageContaining("one frame");
  }
}
