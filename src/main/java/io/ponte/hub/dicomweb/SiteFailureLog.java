package io.ponte.hub.dicomweb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The hub's log of nodes that fail: a WARN when a site starts failing, a reminder WARN at most
 * every {@link #REMINDER} while it keeps failing (with the failures so far), an INFO when it
 * answers again; repeats in between at DEBUG. Before, every failed request and every reachability
 * check (every 30 s) logged its own WARN, so a site down for a weekend buried the hub's log in
 * identical lines.
 */
final class SiteFailureLog {

  static final Duration REMINDER = Duration.ofMinutes(10);

  /** The one the hub's node client logs to (its category stays {@code NodeClient}'s). */
  static final SiteFailureLog HUB =
      new SiteFailureLog(Clock.systemUTC(), Logger.getLogger(NodeClient.class));

  /** What was logged. */
  record Line(Logger.Level level, String text) {}

  /**
   * A site failing since {@code since}, last warned at {@code warned}, failed {@code count}x;
   * {@code remind}: this failure is the reminder.
   */
  private record Failing(Instant since, Instant warned, long count, boolean remind) {}

  private final Map<String, Failing> failing = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Logger log;

  SiteFailureLog(Clock clock, Logger log) {
    this.clock = clock;
    this.log = log;
  }

  /** A request to {@code site}'s node failed; {@code message} says so, naming the site. */
  Line failed(String site, String message) {
    Instant now = clock.instant();
    Failing next =
        failing.compute(
            site,
            (s, f) -> {
              if (f == null) {
                return new Failing(now, now, 1, false);
              }
              boolean remind = !now.isBefore(f.warned().plus(REMINDER));
              return new Failing(f.since(), remind ? now : f.warned(), f.count() + 1, remind);
            });
    Line line;
    if (next.count() == 1) {
      line = new Line(Logger.Level.WARN, message);
    } else if (next.remind()) {
      line =
          new Line(
              Logger.Level.WARN,
              message + " (failing since " + next.since() + ", " + next.count() + " failures)");
    } else {
      line = new Line(Logger.Level.DEBUG, message);
    }
    log.log(line.level(), line.text());
    return line;
  }

  /** {@code site}'s node answered (whatever its status); logs an INFO if it was failing. */
  boolean answered(String site) {
    Failing was = failing.remove(site);
    if (was == null) {
      return false;
    }
    log.infof(
        "node of site %s answers again (failing since %s, %d failures)",
        site, was.since(), was.count());
    return true;
  }
}
