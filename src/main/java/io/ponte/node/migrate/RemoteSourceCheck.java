package io.ponte.node.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether a remote {@code --from} can be used at all, asked by {@code ponte migrate} before it
 * boots the node: an unreachable PACS, a refused association or a 401/404 is said within seconds,
 * without a database, instead of after the start-up.
 */
public final class RemoteSourceCheck {

  private RemoteSourceCheck() {}

  /**
   * Null when {@code from} is a directory or a usable source; otherwise why it cannot be used
   * ({@link IllegalArgumentException} for a malformed URI).
   */
  public static String problem(String from, String callingAet, Path tokenFile, Duration timeout)
      throws IOException {
    if (!MigrationOptions.remote(from)) {
      return null;
    }
    MigrationOptions.Remote remote =
        new MigrationOptions.Remote(from, callingAet, null, 0, tokenFile, 1, timeout, null);
    try (RemoteSource source = RemoteSources.open(remote, List.of(), List.of())) {
      source.check();
      return null;
    } catch (RemoteSource.SourceUnavailableException e) {
      return e.getMessage();
    }
  }
}
