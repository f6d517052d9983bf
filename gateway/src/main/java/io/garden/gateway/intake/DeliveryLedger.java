package io.garden.gateway.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deliveries seen within the de-duplication window, by every key they are known by (the sender's delivery id,
 * an idempotency key, the body's hash), and the newest pipeline per repository and ref. Filled as deliveries are
 * accepted and rebuilt from the audit stream after a restart ({@code delivery.accepted}, {@code pipeline.requested}),
 * so a redelivery finds the pipeline its first delivery started, within the window and the last {@value #MAX_KEYS}
 * keys (two per delivery). Not thread-safe: one event loop owns it.
 */
public final class DeliveryLedger {

  private record Seen(String pipelineId, Instant at) {
  }

  private record Newest(String pipelineId, Instant sentAt) {
  }

  private final Duration window;
  private final Clock clock;
  /** Memory is bounded by count as well as by time: the oldest keys go first once there are this many. */
  static final int MAX_KEYS = 200_000;
  private static final int MAX_REFS = 50_000;

  private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final Map<String, Newest> newestByRef = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Newest> eldest) {
      return size() > MAX_REFS;
    }
  };

  public DeliveryLedger(Duration window, Clock clock) {
    this.window = window;
    this.clock = clock;
  }

  /** The pipeline an earlier delivery with any of these keys started, within the window. */
  public Optional<String> find(List<String> keys) {
    evict();
    return keys.stream().map(seen::get).filter(s -> s != null).map(Seen::pipelineId).findFirst();
  }

  public void record(List<String> keys, String pipelineId, Instant at) {
    if (at.isBefore(clock.instant().minus(window))) {
      return;
    }
    keys.forEach(k -> seen.putIfAbsent(k, new Seen(pipelineId, at)));
  }

  /** A delivery whose pipeline could not be sent: a retry of it must be free to start one. */
  public void forget(List<String> keys, String pipelineId) {
    for (String key : keys) {
      Seen s = seen.get(key);
      if (s != null && s.pipelineId().equals(pipelineId)) {
        seen.remove(key);
      }
    }
  }

  /**
   * Records {@code pipelineId} as the newest for its ref and returns the one it replaces, if any. A change the sender
   * dates before the newest one's (an old delivery replayed) replaces nothing: it never cancels newer work.
   *
   * @param sentAt when the sender says the change happened, or null when it does not say
   */
  public Optional<String> newest(String concurrencyKey, String pipelineId, Instant sentAt) {
    Newest previous = newestByRef.get(concurrencyKey);
    if (olderThan(sentAt, previous)) {
      return Optional.empty();
    }
    newestByRef.put(concurrencyKey, new Newest(pipelineId, sentAt));
    return previous == null || previous.pipelineId().equals(pipelineId) ? Optional.empty()
        : Optional.of(previous.pipelineId());
  }

  /** The run a change dated {@code sentAt} would replace as the newest of its ref, if any (nothing is recorded). */
  public Optional<String> wouldReplace(String concurrencyKey, Instant sentAt) {
    Newest previous = newestByRef.get(concurrencyKey);
    return previous == null || olderThan(sentAt, previous) ? Optional.empty() : Optional.of(previous.pipelineId());
  }

  /** A change dated before the newest one of its ref (both dated) arrived late: it replaces nothing. */
  private static boolean olderThan(Instant sentAt, Newest newest) {
    return newest != null && sentAt != null && newest.sentAt() != null && sentAt.isBefore(newest.sentAt());
  }

  /** Whether a change dated {@code sentAt} is older than the window, so its delivery is refused. */
  public boolean tooOld(Instant sentAt) {
    return sentAt != null && sentAt.isBefore(clock.instant().minus(window));
  }

  public Duration window() {
    return window;
  }

  public int size() {
    return seen.size();
  }

  private void evict() {
    Instant oldest = clock.instant().minus(window);
    Iterator<Seen> it = seen.values().iterator();
    while (it.hasNext()) {
      if (!it.next().at().isBefore(oldest)) {
        return; // insertion order is time order, near enough: the rest is younger
      }
      it.remove();
    }
  }
}
