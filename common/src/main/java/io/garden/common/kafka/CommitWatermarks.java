package io.garden.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets may be committed when records finish out of order: per partition, everything below the oldest
 * record still in progress. Committing one record at a time costs a broker round trip each (the Vert.x client
 * commits synchronously on its only polling thread), so a consumer that finishes many records a second commits
 * these watermarks periodically instead. Not thread-safe: use it from one context.
 */
public final class CommitWatermarks {

  private final Map<Integer, TreeSet<Long>> inProgress = new HashMap<>();
  private final Map<Integer, Long> nextAfterSeen = new HashMap<>();
  private final Map<Integer, Long> committed = new HashMap<>();

  /** A record was received and its work begins. */
  public void started(int partition, long offset) {
    inProgress.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    nextAfterSeen.merge(partition, offset + 1, Math::max);
  }

  /** A record's work is done (its effects acknowledged): it no longer holds the watermark back. */
  public void finished(int partition, long offset) {
    TreeSet<Long> pending = inProgress.get(partition);
    if (pending != null) {
      pending.remove(offset);
    }
  }

  /**
   * The offsets to commit now (next offset to read, per partition) that moved since the last call; marks them
   * committed.
   */
  public Map<Integer, Long> advance() {
    Map<Integer, Long> due = new HashMap<>();
    nextAfterSeen.forEach((partition, next) -> {
      TreeSet<Long> pending = inProgress.get(partition);
      long watermark = pending == null || pending.isEmpty() ? next : pending.first();
      if (watermark > committed.getOrDefault(partition, -1L)) {
        due.put(partition, watermark);
        committed.put(partition, watermark);
      }
    });
    return due;
  }

  /** A partition went to another member: forget it (its records will be seen there). */
  public void revoked(int partition) {
    inProgress.remove(partition);
    nextAfterSeen.remove(partition);
    committed.remove(partition);
  }
}
