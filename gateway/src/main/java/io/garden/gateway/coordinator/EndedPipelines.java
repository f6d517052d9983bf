package io.garden.gateway.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pipelines that ended recently: a request delivered again, or a worker's late answer, for one of them starts
 * nothing. Remembered for {@link #RETENTION} only, so memory follows the rate of pipelines, not their history: a
 * redelivery comes within seconds (a request is committed once its pipeline's first events are acknowledged), and a
 * restore point never passes a pipeline whose request may still come again (see {@code LowWatermark}).
 */
final class EndedPipelines {

  static final Duration RETENTION = Duration.ofHours(1);

  private final Clock clock;
  /** Insertion order is time order: the oldest is evicted first. */
  private final LinkedHashMap<String, Instant> ended = new LinkedHashMap<>();

  EndedPipelines(Clock clock) {
    this.clock = clock;
  }

  void add(String id) {
    Instant now = clock.instant();
    ended.putIfAbsent(id, now);
    evictBefore(now.minus(RETENTION));
  }

  boolean contains(String id) {
    return ended.containsKey(id);
  }

  int size() {
    return ended.size();
  }

  private void evictBefore(Instant oldest) {
    Iterator<Map.Entry<String, Instant>> it = ended.entrySet().iterator();
    while (it.hasNext() && it.next().getValue().isBefore(oldest)) {
      it.remove();
    }
  }
}
