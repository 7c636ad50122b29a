package io.ponte.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * Extension member with the seconds to wait before retrying; also sent as {@code Retry-After}.
   */
  public static final String RETRY_AFTER = "retryAfter";

  public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  public static Problem of(ErrorCode code, String detail, Map<String, Object> extensions) {
    return new Problem(
        "https://ponte.example/problems/" + code.code().substring("ponte:".length()),
        code.title(),
        code.status(),
        detail,
        code.code(),
        extensions);
  }

  @JsonAnyGetter
  public Map<String, Object> any() {
    return extensions == null ? Map.of() : extensions;
  }

  public Response toResponse() {
    return Response.status(status).type(PROBLEM_JSON).entity(this).build();
  }
}
