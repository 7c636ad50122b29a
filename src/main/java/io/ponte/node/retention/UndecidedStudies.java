package io.ponte.node.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.node.storage.RetentionDecider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Decides the retention of studies indexed before the policy existed (db/node V60 leaves them
 * null), from the DICOM JSON metadata the index already holds of each of their instances, with the
 * rules configured now, keeping the longest as ingest does. Runs at the node's start, in its
 * retention job and before {@code delete-expired}; a study stays undecided (and is never deleted)
 * until then.
 */
@ApplicationScoped
public class UndecidedStudies {

  private static final Logger LOG = Logger.getLogger(UndecidedStudies.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject RetentionIndex index;

  @Inject RetentionPolicy policy;

  /** Decides up to {@code limit} studies per batch until none is left; returns how many. */
  public int decideAll(int limit) throws SQLException {
    int decided = 0;
    for (List<RetentionIndex.Undecided> batch = index.undecided(limit);
        !batch.isEmpty();
        batch = index.undecided(limit)) {
      for (RetentionIndex.Undecided u : batch) {
        RetentionDecider.Decision d = longest(u);
        index.decide(u.studyInstanceUid(), d.retentionClass(), d.endsOn());
        decided++;
      }
    }
    if (decided > 0) {
      LOG.infof(
          "retention: decided the retention of %d studies indexed before the policy", decided);
    }
    return decided;
  }

  /**
   * The decision of the instance that asks for the longest retention, as ingest keeps it (a study
   * is kept as long as the longest of its instances asks); from no metadata for a study without
   * instances.
   */
  private RetentionDecider.Decision longest(RetentionIndex.Undecided u) throws SQLException {
    RetentionDecider.Decision[] longest = {null};
    index.eachInstanceMetadata(
        u.studyInstanceUid(),
        metadata -> {
          RetentionDecider.Decision d =
              policy.decide(attributes(metadata), u.studyDate(), u.createdAt());
          if (longest[0] == null || d.endsOn().isAfter(longest[0].endsOn())) {
            longest[0] = d;
          }
        });
    return longest[0] != null
        ? longest[0]
        : policy.decide(attributes(null), u.studyDate(), u.createdAt());
  }

  /** A tag's first value in an instance's DICOM JSON (PS3.18 F.2), as text; null when absent. */
  static java.util.function.IntFunction<String> attributes(String metadata) {
    JsonNode root;
    try {
      root = metadata == null ? JSON.createObjectNode() : JSON.readTree(metadata);
    } catch (IOException e) {
      root = JSON.createObjectNode();
    }
    JsonNode dataset = root;
    return tag -> {
      JsonNode value = dataset.path(String.format("%08X", tag)).path("Value").path(0);
      if (value.isMissingNode() || value.isNull()) {
        return null;
      }
      return value.isObject() ? value.path("Alphabetic").asText(null) : value.asText();
    };
  }
}
