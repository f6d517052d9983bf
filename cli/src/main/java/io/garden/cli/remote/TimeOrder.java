package io.garden.cli.remote;

import io.garden.common.event.Envelope;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts events read from several partitions back in time order. The gateway reads history from every partition
 * at once, so events arrive interleaved in chunks; up to {@code capacity} of them wait here and leave oldest first,
 * and all of them leave when the stream says it caught up. After that, events are live and pass straight through.
 * Equal times keep the order they came in (one partition's order).
 */
public final class TimeOrder {

  private record Held(Envelope event, long seq) {
  }

  private final PriorityQueue<Held> held = new PriorityQueue<>(
      Comparator.comparing((Held h) -> h.event().time()).thenComparingLong(Held::seq));
  private final int capacity;
  private final Consumer<Envelope> out;
  private long seq;
  private boolean live;

  public TimeOrder(int capacity, Consumer<Envelope> out) {
    this.capacity = capacity;
    this.out = out;
  }

  public void add(Envelope event) {
    if (live) {
      out.accept(event);
      return;
    }
    held.add(new Held(event, seq++));
    if (held.size() > capacity) {
      out.accept(held.poll().event());
    }
  }

  /** Everything held leaves, in order; what comes next is live. */
  public void caughtUp() {
    while (!held.isEmpty()) {
      out.accept(held.poll().event());
    }
    live = true;
  }
}
