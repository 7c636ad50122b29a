package io.ponte.hub.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * FHIR JSON in and out. Incoming resources are parsed strictly (unknown elements, bad values and a
 * wrong resourceType are refused with 400) so that nothing half-understood is stored. Parsers are
 * not thread-safe, so each call gets a fresh one from the shared context (cheap).
 */
@ApplicationScoped
public class FhirJson {

  @Inject FhirContext context;

  public <T extends IBaseResource> T parse(Class<T> type, String json) {
    if (json == null || json.isBlank()) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "the request body must be a FHIR JSON " + type.getSimpleName());
    }
    IParser parser = context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    try {
      return parser.parseResource(type, json);
    } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "not a valid FHIR R4 JSON " + type.getSimpleName() + ": " + safeMessage(e));
    }
  }

  public String serialize(IBaseResource resource) {
    return context.newJsonParser().encodeResourceToString(resource);
  }

  /**
   * HAPI messages name elements and positions; strip its message codes, keep them short, never
   * class names.
   */
  private static String safeMessage(Exception e) {
    String message = e.getMessage() == null ? "unreadable" : e.getMessage();
    message = message.replaceAll("HAPI-\\d+:\\s*", "");
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }
}
