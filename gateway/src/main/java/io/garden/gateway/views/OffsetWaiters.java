package io.garden.gateway.views;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Futures that complete when a reader has got past a given offset of a partition. Used on one Vert.x context only
 * (the reader's), so it needs no locks.
 */
final class OffsetWaiters {

  private final Map<Integer, TreeMap<Long, List<Promise<Void>>>> waiting = new HashMap<>();

  /**
   * @param next the reader's next offset in that partition now, or null when it has read nothing there yet
   */
  Future<Void> await(int partition, long offset, Long next) {
    if (next != null && next > offset) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiting.computeIfAbsent(partition, p -> new TreeMap<>())
        .computeIfAbsent(offset, o -> new ArrayList<>()).add(promise);
    return promise.future();
  }

  /** The reader has handled the record at {@code offset}: everyone waiting for it or an earlier one may go. */
  void reached(int partition, long offset) {
    TreeMap<Long, List<Promise<Void>>> queue = waiting.get(partition);
    if (queue == null) {
      return;
    }
    Map<Long, List<Promise<Void>>> due = queue.headMap(offset, true);
    due.values().forEach(promises -> promises.forEach(Promise::tryComplete));
    due.clear();
  }

  void failAll(String reason) {
    waiting.values().forEach(queue -> queue.values()
        .forEach(promises -> promises.forEach(p -> p.tryFail(reason))));
    waiting.clear();
  }
}
