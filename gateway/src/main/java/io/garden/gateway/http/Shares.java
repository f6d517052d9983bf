package io.garden.gateway.http;

import java.util.HashMap;
import java.util.Map;

/**
 * A bounded resource shared fairly: at most {@code total} in use over everyone, at most {@code perHolder} by any one
 * holder (a credential, a webhook source). Without the second bound one caller could take all of the first, and
 * everyone else would be refused by a limit meant to protect them. Thread-safe; plain Java.
 */
public final class Shares {

  /** What {@link #take} decided. */
  public enum Outcome {
    TAKEN,
    /** This holder has its whole share in use: it waits for its own (429). */
    HOLDER_FULL,
    /** Everyone's use together is at the total: everyone waits (503). */
    TOTAL_FULL
  }

  private final long total;
  private final long perHolder;
  private final Map<String, Long> held = new HashMap<>();
  private long used;

  public Shares(long total, long perHolder) {
    if (total < 1 || perHolder < 1) {
      throw new IllegalArgumentException("a share needs a positive total and per-holder bound");
    }
    this.total = total;
    this.perHolder = Math.min(perHolder, total);
  }

  public synchronized Outcome take(String holder, long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("cannot take a negative amount");
    }
    long mine = held.getOrDefault(holder, 0L);
    // The total first: when everyone must wait, saying "your share is full" would blame the wrong caller.
    if (used + amount > total) {
      return Outcome.TOTAL_FULL;
    }
    if (mine + amount > perHolder) {
      return Outcome.HOLDER_FULL;
    }
    used += amount;
    if (amount > 0) {
      held.put(holder, mine + amount);
    }
    return Outcome.TAKEN;
  }

  /** Gives back what {@link #take} gave; giving back more than was taken is a bug, and is clamped. */
  public synchronized void give(String holder, long amount) {
    long mine = held.getOrDefault(holder, 0L);
    long back = Math.min(mine, amount);
    used -= back;
    if (mine - back <= 0) {
      held.remove(holder);
    } else {
      held.put(holder, mine - back);
    }
  }

  public synchronized long used() {
    return used;
  }

  public synchronized long heldBy(String holder) {
    return held.getOrDefault(holder, 0L);
  }

  public long total() {
    return total;
  }

  public long perHolder() {
    return perHolder;
  }
}
