package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's run after an outage: batch after batch while each goes out in full, and no further.
 */
class OutboxDrainTest {

  /**
   * Answers the scripted delivered counts in order, then 0 (nothing due); counts the batches asked
   * for.
   */
  static final class Script implements OutboxSender.Batch {
    final ArrayDeque<Integer> answers;
    int batches;

    Script(Integer... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public int send() {
      batches++;
      return answers.isEmpty() ? 0 : answers.poll();
    }
  }

  @Test
  void sendsBatchAfterBatchWhileEachIsDeliveredInFull() throws SQLException {
    Script backlog = new Script(20, 20, 20, 7);
    assertThat(OutboxSender.drain(backlog, 20)).isEqualTo(67);
    assertThat(backlog.batches).isEqualTo(4);
  }

  @Test
  void aBatchWithAFailureEndsTheRun() throws SQLException {
    // 19 of 20 delivered: the hub failed one, so backoff, not this loop, decides when to go on.
    Script failing = new Script(20, 19, 20);
    assertThat(OutboxSender.drain(failing, 20)).isEqualTo(39);
    assertThat(failing.batches).isEqualTo(2);
  }

  @Test
  void aHubThatAcceptsNothingIsAskedOnce() throws SQLException {
    Script down = new Script(0, 20);
    assertThat(OutboxSender.drain(down, 20)).isZero();
    assertThat(down.batches).isEqualTo(1);
  }

  @Test
  void oneRunIsBounded() throws SQLException {
    OutboxSender.Batch endless = () -> 5;
    assertThat(OutboxSender.drain(endless, 5)).isEqualTo(5 * OutboxSender.MAX_BATCHES_PER_RUN);
  }
}
