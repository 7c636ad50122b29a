package io.ponte.node.migrate;

import io.ponte.node.ingest.DimseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the {@link RemoteSource} a {@code --from} URI names. The storage SOP classes and transfer
 * syntaxes a DIMSE retrieve proposes are the node's own DIMSE listener's: what the node takes from
 * a modality it takes from a PACS. The DICOMweb token comes from {@code --token-file}, else from
 * {@code PONTE_MIGRATE_TOKEN}.
 */
@ApplicationScoped
class RemoteSources {

  static final String TOKEN_ENV = "PONTE_MIGRATE_TOKEN";

  private static final Pattern DIMSE =
      Pattern.compile("dimse://([^@/]{1,16})@([^:/]+):(\\d{1,5})/?");

  @Inject DimseConfig dimse;

  RemoteSource open(MigrationOptions.Remote remote) throws IOException {
    return open(remote, dimse.sopClasses(), dimse.transferSyntaxes());
  }

  static RemoteSource open(
      MigrationOptions.Remote remote, List<String> sopClasses, List<String> transferSyntaxes)
      throws IOException {
    if (remote.dimse()) {
      Matcher m = DIMSE.matcher(remote.uri());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "a DIMSE source is dimse://AET@host:port, not " + remote.uri());
      }
      return new DimseSource(
          m.group(1),
          m.group(2),
          Integer.parseInt(m.group(3)),
          remote.callingAet(),
          remote.timeout(),
          sopClasses,
          transferSyntaxes,
          remote.spoolDir(),
          remote.moveDestination(),
          remote.movePort());
    }
    String token = System.getenv(TOKEN_ENV);
    if (remote.tokenFile() != null) {
      token = Files.readString(remote.tokenFile(), StandardCharsets.UTF_8).trim();
    }
    return new DicomwebSource(
        remote.uri(),
        token == null || token.isBlank() ? null : token,
        remote.pageSize(),
        remote.timeout());
  }
}
