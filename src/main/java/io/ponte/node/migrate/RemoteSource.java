package io.ponte.node.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A running archive migrated over the network ({@code dimse://} or {@code dicomweb+http://}): lists
 * its studies, the instances of one study, and retrieves a study (or some of its instances),
 * handing each instance over as a stream as it arrives, never whole in memory.
 */
interface RemoteSource extends AutoCloseable {

  /** A study as the source lists it; {@code instances} is -1 when the source does not say. */
  record Study(String uid, int instances, List<String> sopClasses) {}

  /** One instance of a study. */
  record Instance(String seriesUid, String sopInstanceUid) {}

  /** Takes each listed study, in the source's order. */
  @FunctionalInterface
  interface StudyVisitor {
    void visit(Study study) throws IOException, InterruptedException;
  }

  /**
   * Takes each retrieved instance: a bare data set in {@code transferSyntaxUid} (DIMSE), or a Part
   * 10 file when the UIDs are null (WADO-RS). Returns whether it was kept (spooled).
   */
  @FunctionalInterface
  interface Receiver {
    boolean receive(
        String sopClassUid, String sopInstanceUid, String transferSyntaxUid, InputStream data)
        throws IOException;
  }

  /** The checkpoint's name for the source, e.g. {@code dimse://PACS@10.0.0.5:104}. */
  String key();

  /**
   * Connects once to tell early whether the source can be used at all.
   *
   * @throws SourceUnavailableException unreachable, refused, or not the service named
   */
  void check() throws SourceUnavailableException;

  void studies(StudyVisitor visitor) throws IOException, InterruptedException;

  List<Instance> instances(String studyUid) throws IOException;

  /**
   * Retrieves the whole study ({@code only} null) or only the instances listed; returns null when
   * everything asked for was sent, otherwise why not.
   */
  String retrieve(Study study, List<Instance> only, Receiver receiver)
      throws IOException, InterruptedException;

  @Override
  void close();

  /** The source cannot be used: unreachable, refused the association or the request, not found. */
  final class SourceUnavailableException extends IOException {
    SourceUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
