package io.garden.gateway.api;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history → live hand-over interleaved every way: events keep being produced, the views and the client's history
 * reader each read them in their own order (partition order within a partition) at their own pace, and the switch
 * is tried after each step. The client must receive, per partition, every offset from its start, once, in order.
 */
class HandOverTest {

  private static final int PARTITIONS = 3;

  /** The produced stream, per partition: how many events each has so far. */
  private static final class World {
    final Random random;
    final long[] produced = new long[PARTITIONS];
    final long[] viewsAt = new long[PARTITIONS];
    final long[] historyAt = new long[PARTITIONS];
    final Map<Integer, List<Long>> received = new HashMap<>();
    boolean historyClosed;

    World(long seed) {
      random = new Random(seed);
    }

    Map<Integer, Long> views() {
      Map<Integer, Long> at = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        at.put(p, viewsAt[p]);
      }
      return at;
    }
  }

  @RepeatedTest(500)
  @DisplayName("every interleaving of produce, fold, history read and switch: each offset from the start once, in"
      + " order")
  void noGapNoRepeat(RepetitionInfo repetition) {
    World w = new World(repetition.getCurrentRepetition() * 7919L);
    // The client starts somewhere in the past, per partition; the views are at least there or further.
    Map<Integer, Long> start = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      w.produced[p] = w.random.nextInt(20);
      start.put(p, (long) w.random.nextInt((int) w.produced[p] + 1));
      w.historyAt[p] = start.get(p);
      w.viewsAt[p] = w.random.nextInt((int) w.produced[p] + 1);
      w.received.put(p, new ArrayList<>());
    }
    HandOver handOver = new HandOver(start);
    int steps = 200 + w.random.nextInt(200);
    for (int step = 0; step < steps; step++) {
      int p = w.random.nextInt(PARTITIONS);
      switch (w.random.nextInt(4)) {
        case 0 -> w.produced[p]++;
        case 1 -> { // the views fold the next event of p, and hand it to the live stream
          if (w.viewsAt[p] < w.produced[p]) {
            long offset = w.viewsAt[p]++;
            if (handOver.fromLive(p, offset)) {
              w.received.get(p).add(offset);
            }
          }
        }
        case 2 -> { // the history reader reads the next event of p
          if (!w.historyClosed && w.historyAt[p] < w.produced[p]) {
            long offset = w.historyAt[p]++;
            if (handOver.fromHistory(p, offset)) {
              w.received.get(p).add(offset);
            }
          }
        }
        default -> {
          if (handOver.trySwitch(w.views()) && w.random.nextBoolean()) {
            w.historyClosed = true; // the reader is closed at some point after the switch
          }
        }
      }
    }
    // Let both run to the end of what was produced.
    for (int round = 0; round < 100 && !handOver.isLive(); round++) {
      for (int p = 0; p < PARTITIONS; p++) {
        while (!w.historyClosed && w.historyAt[p] < w.produced[p]) {
          long offset = w.historyAt[p]++;
          if (handOver.fromHistory(p, offset)) {
            w.received.get(p).add(offset);
          }
        }
      }
      handOver.trySwitch(w.views());
    }
    for (int p = 0; p < PARTITIONS; p++) {
      while (w.viewsAt[p] < w.produced[p]) {
        long offset = w.viewsAt[p]++;
        if (handOver.fromLive(p, offset)) {
          w.received.get(p).add(offset);
        }
      }
    }

    assertThat(handOver.isLive()).isTrue();
    for (int p = 0; p < PARTITIONS; p++) {
      List<Long> expected = new ArrayList<>();
      for (long o = start.get(p); o < w.produced[p]; o++) {
        expected.add(o);
      }
      assertThat(w.received.get(p)).as("partition %d (seed %d)", p, repetition.getCurrentRepetition())
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  @DisplayName("before the switch live events are left to history; after it, history's are dropped")
  void eachEventFromOneSideOnly() {
    HandOver handOver = new HandOver(Map.of(0, 5L));
    assertThat(handOver.fromLive(0, 5)).isFalse();
    assertThat(handOver.fromHistory(0, 5)).isTrue();
    assertThat(handOver.trySwitch(Map.of(0, 7L))).as("history has not sent 6 yet").isFalse();
    assertThat(handOver.fromHistory(0, 6)).isTrue();
    assertThat(handOver.trySwitch(Map.of(0, 7L))).isTrue();
    assertThat(handOver.fromHistory(0, 7)).isFalse();
    assertThat(handOver.fromLive(0, 6)).as("sent by history already").isFalse();
    assertThat(handOver.fromLive(0, 7)).isTrue();
    assertThat(handOver.positions()).containsEntry(0, 8L);
  }
}
