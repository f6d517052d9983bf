package io.garden.common.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a fold of the audit stream can safely restart from: per partition, the first event of the oldest thing
 * still open (a pipeline not finished, an archive not yet written), else where the reader was one checkpoint ago.
 *
 * <p>Why one checkpoint ago and not where the reader is now: what a fold has read may not be all it needs yet. The
 * coordinator commits a pipeline request only after the pipeline's first events are acknowledged; a restore point
 * that lags one interval behind the reader covers those events for as long as a commit can take, so a request
 * delivered again after a crash still finds its pipeline. Plain Java; one owner thread.
 */
public final class LowWatermark {

  private record Position(int partition, long offset) {
  }

  private final Map<String, Position> open = new HashMap<>();
  private Map<Integer, Long> previous;

  /** The first event of {@code id} is at this place (a later call for the same id changes nothing). */
  public void opened(String id, int partition, long offset) {
    open.putIfAbsent(id, new Position(partition, offset));
  }

  /** {@code id} no longer needs its events read again. */
  public void closed(String id) {
    open.remove(id);
  }

  public boolean isOpen(String id) {
    return open.containsKey(id);
  }

  public int openCount() {
    return open.size();
  }

  /**
   * The restore point now, given where the reader is ({@code positions}: the next offset per partition), and
   * remembers {@code positions} for the next call. Empty on the first call: there is no earlier position to lag by.
   */
  public Map<Integer, Long> checkpoint(Map<Integer, Long> positions) {
    Map<Integer, Long> lagged = previous;
    previous = Map.copyOf(positions);
    if (lagged == null) {
      return Map.of();
    }
    Map<Integer, Long> low = new HashMap<>(lagged);
    for (Position p : open.values()) {
      low.merge(p.partition(), p.offset(), Math::min);
    }
    return Map.copyOf(low);
  }
}
