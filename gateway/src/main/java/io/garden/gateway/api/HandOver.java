package io.garden.gateway.api;

import java.util.HashMap;
import java.util.Map;

/**
 * How one event-stream client that started in the past goes from its own history reader to the gateway's shared
 * live stream without a gap or a repeat. The client hears both from the start: its history reader's events, and
 * the live events the pipeline views fold. Until the switch only history is sent; the switch comes once history
 * has sent everything the views have folded (per partition, by offset), and from then on only live events are sent,
 * each once — an event both read is sent by whichever is its turn, never twice. Plain Java, confined to one thread
 * (the gateway's event loop), so nothing happens between a check and what it decides.
 */
final class HandOver {

  /** Per partition, the next offset the client is owed: everything below it was sent, or was before its start. */
  private final Map<Integer, Long> next;
  private boolean live;

  /** @param start where the client's stream begins, per partition (its history reader's first positions) */
  HandOver(Map<Integer, Long> start) {
    this.next = new HashMap<>(start);
  }

  /** Whether to send an event the client's history reader read (and note it sent). */
  boolean fromHistory(int partition, long offset) {
    return !live && owed(partition, offset);
  }

  /** Whether to send an event the views folded (and note it sent). */
  boolean fromLive(int partition, long offset) {
    return live && owed(partition, offset);
  }

  /**
   * Switches to live once history has sent all the views have folded ({@code views}: the next offset they will fold,
   * per partition).
   *
   * @return true when the client is live now (then its history reader can go)
   */
  boolean trySwitch(Map<Integer, Long> views) {
    if (!live && views.entrySet().stream().allMatch(e -> next.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
      live = true;
    }
    return live;
  }

  boolean isLive() {
    return live;
  }

  /** Where the client is: the position it resumes from. */
  Map<Integer, Long> positions() {
    return Map.copyOf(next);
  }

  private boolean owed(int partition, long offset) {
    long owed = next.getOrDefault(partition, 0L);
    if (offset < owed) {
      return false; // sent already, or before where the client asked to start
    }
    // In partition order, a later offset means the ones between were skipped by the reader: they were not
    // the client's (a compacted or aborted record). What counts is that none is sent twice.
    next.put(partition, offset + 1);
    return true;
  }
}
