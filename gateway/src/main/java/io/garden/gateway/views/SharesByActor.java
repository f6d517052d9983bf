package io.garden.gateway.views;

import java.util.HashMap;
import java.util.Map;

/**
 * How many of a set of pipelines each principal has, kept as they come and go: a principal's fair share is checked
 * on every request, and counting it by a scan of everything open made each request cost as much as the backlog
 * (under load, most of the gateway's CPU). Plain Java; one owner thread.
 */
final class SharesByActor {

  private final Map<String, String> actorOf = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();

  /** {@code id} is {@code actor}'s now (again: counted once); a pipeline with no actor counts for nobody. */
  void add(String id, String actor) {
    if (actor == null) {
      return;
    }
    String before = actorOf.put(id, actor);
    if (before != null) {
      release(before);
    }
    counts.merge(actor, 1, Integer::sum);
  }

  void remove(String id) {
    String actor = actorOf.remove(id);
    if (actor != null) {
      release(actor);
    }
  }

  int count(String actor) {
    return counts.getOrDefault(actor, 0);
  }

  private void release(String actor) {
    counts.computeIfPresent(actor, (a, n) -> n <= 1 ? null : n - 1);
  }
}
