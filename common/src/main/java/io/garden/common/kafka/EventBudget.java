package io.garden.common.kafka;

/**
 * How large one record on a garden topic may be. Kafka refuses a record over the producer's {@code max.request.size}
 * and the broker's {@code message.max.bytes} (both 1 MiB by default); a record over them is not a transient failure
 * that a retry fixes but a request that can never be carried. Everything that writes a record a caller could make
 * large (a door, the coordinator) checks it against this budget first and refuses or summarises, so that no
 * request can make a process fail on a send, and no restart replays into the same failure.
 *
 * <p>The budget leaves room under 1 MiB for the record's headers and the batch around it.
 */
public final class EventBudget {

  /** The largest encoded event (its JSON bytes) garden sends. */
  public static final int MAX_EVENT_BYTES = 900 * 1024;

  private EventBudget() {
  }

  public static boolean fits(byte[] encoded) {
    return encoded.length <= MAX_EVENT_BYTES;
  }

  /** "1.2 MB", "900 KB": for messages a person reads. */
  public static String size(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
    return Math.max(1, (bytes + 1023) / 1024) + " KB";
  }
}
