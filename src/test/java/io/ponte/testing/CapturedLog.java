package io.ponte.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * What one class logs while this is open, for tests of what an operator reads: {@code try
 * (CapturedLog log = CapturedLog.of(X.class)) { … }}.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
  }

  public static CapturedLog of(Class<?> type) {
    CapturedLog log = new CapturedLog(Logger.getLogger(type.getName()));
    log.logger.addHandler(log);
    return log;
  }

  /** The records at {@code level} or above. */
  public List<LogRecord> atLeast(Level level) {
    return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
  }

  /** The text of the one record at {@code level} or above; fails unless there is exactly one. */
  public String single(Level level) {
    List<LogRecord> found = atLeast(level);
    assertThat(found).as("records at %s or above", level).hasSize(1);
    return text(found.get(0));
  }

  /** A record's message with its parameters filled in (JBoss Logging's printf style too). */
  public static String text(LogRecord record) {
    return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
