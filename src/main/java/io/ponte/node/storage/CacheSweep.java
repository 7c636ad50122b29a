package io.ponte.node.storage;

import io.ponte.node.index.CacheIndex;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds cache files the index no longer references and deletes those whose instance Blob holds:
 * what a crash between an eviction's release and its deletion leaves on the volume, which nothing
 * else would ever delete ({@link CacheEvictor} retries only within its own process). Part of {@code
 * ponte node verify}; only files older than a cut-off are looked at, so a file an ingest has landed
 * but not yet committed is never a stray.
 */
@ApplicationScoped
public class CacheSweep {

  /** How many files one transaction decides. */
  private static final int BATCH = 500;

  /** How many files no row knows are named one by one; the rest are counted. */
  static final int NAMED = 20;

  /** {@code <study>/<series>/<sop>.dcm}, as {@link CacheLayout#relativePath} writes it. */
  private static final Pattern INSTANCE_FILE =
      Pattern.compile("[0-9.]{1,64}/[0-9.]{1,64}/([0-9.]{1,64})\\.dcm");

  @Inject NodeStorage storage;

  @Inject CacheIndex index;

  /** What one sweep found: files deleted (or, on a dry run, to delete), and files no row knows. */
  public record Result(long strays, long bytes, long withoutRow) {}

  /**
   * Sweeps the cache for files last modified before {@code olderThan}; {@code delete} false only
   * counts. The first {@link #NAMED} files no row knows are named to {@code log}.
   */
  public Result sweep(Instant olderThan, boolean delete, Consumer<String> log)
      throws IOException, SQLException {
    Path root = storage.layout().root();
    long[] totals = {0, 0, 0};
    List<CacheIndex.Released> batch = new ArrayList<>(BATCH);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        CacheIndex.Released candidate = candidate(root, file, olderThan);
        if (candidate != null) {
          batch.add(candidate);
          if (batch.size() == BATCH) {
            decide(batch, delete, totals, log);
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    decide(batch, delete, totals, log);
    return new Result(totals[0], totals[1], totals[2]);
  }

  /** An instance's cache file older than the cut-off, as the index would name it; else null. */
  private static CacheIndex.Released candidate(Path root, Path file, Instant olderThan)
      throws IOException {
    String relative = root.relativize(file).toString();
    Matcher m = INSTANCE_FILE.matcher(relative);
    if (!m.matches()
        || !Files.isRegularFile(file)
        || !Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
      return null;
    }
    return new CacheIndex.Released(m.group(1), relative);
  }

  private void decide(
      List<CacheIndex.Released> batch, boolean delete, long[] totals, Consumer<String> log)
      throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    CacheIndex.Strays strays =
        index.deleteStrays(
            batch,
            relative -> {
              Path file = storage.layout().resolve(relative);
              try {
                totals[1] += Files.size(file);
                if (delete) {
                  Files.deleteIfExists(file);
                }
              } catch (IOException e) {
                log.accept("could not delete stray cache file " + relative + ": " + e.getMessage());
              }
            });
    totals[0] += strays.deleted();
    for (String relative : strays.withoutRow()) {
      if (totals[2]++ < NAMED) {
        log.accept("kept: cache file " + relative + " belongs to no indexed instance");
      }
    }
    batch.clear();
  }
}
