package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataUrlRewriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final MetadataUrlRewriter rewriter =
      new MetadataUrlRewriter(
          "https://hub.example/",
          URI.create("https://hub.example/dicomweb/studies/1.2/series/1.2.3/metadata"));

  @Test
  void pointsBulkDataAndRetrieveUrlsAtTheHub() throws Exception {
    String node =
        """
                [{"00081190":{"vr":"UR","Value":["http://10.0.0.7:8080/dicomweb/studies/1.2"]},
                  "7FE00010":{"vr":"OW","BulkDataURI":"http://10.0.0.7:8080/dicomweb/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/1"},
                  "00091010":{"vr":"OB","BulkDataURI":"instances/1.2.3.4/bulk/00091010"},
                  "00081030":{"vr":"LO","Value":["http://10.0.0.7:8080/dicomweb/not-a-url-element"]},
                  "00540016":{"vr":"SQ","Value":[{"00081190":{"vr":"UR","Value":["http://n/dicomweb/studies/9"]}}]}}]
                """;
    JsonNode out = rewrite(node).get(0);
    assertThat(out.at("/00081190/Value/0").asText())
        .isEqualTo("https://hub.example/dicomweb/studies/1.2");
    assertThat(out.at("/7FE00010/BulkDataURI").asText())
        .isEqualTo(
            "https://hub.example/dicomweb/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/1");
    assertThat(out.at("/00091010/BulkDataURI").asText())
        .isEqualTo(
            "https://hub.example/dicomweb/studies/1.2/series/1.2.3/instances/1.2.3.4/bulk/00091010");
    // Other text is left alone, even when it looks like a URL.
    assertThat(out.at("/00081030/Value/0").asText())
        .isEqualTo("http://10.0.0.7:8080/dicomweb/not-a-url-element");
    assertThat(out.at("/00540016/Value/0/00081190/Value/0").asText())
        .isEqualTo("https://hub.example/dicomweb/studies/9");
  }

  @Test
  void keepsEverythingElseIdentical() throws Exception {
    String node =
        "[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^J\"}]},"
            + "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},\"00180050\":{\"vr\":\"DS\",\"Value\":[1.25]},"
            + "\"00080020\":{\"vr\":\"DA\"}}]";
    assertThat(rewrite(node)).isEqualTo(JSON.readTree(node));
  }

  private JsonNode rewrite(String json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    rewriter.copy(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out);
    return JSON.readTree(out.toByteArray());
  }
}
