package io.garden.gateway.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which sink already took which notice, for the events a notifier may be handed again (those after its committed
 * position). Bounded: the oldest are forgotten first, long after their events were committed.
 */
final class SentNotices {

  private final Map<String, Boolean> sent;

  SentNotices(int capacity) {
    this.sent = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  void add(String event, String sink) {
    sent.put(sink + " " + event, Boolean.TRUE);
  }

  boolean contains(String event, String sink) {
    return sent.containsKey(sink + " " + event);
  }
}
