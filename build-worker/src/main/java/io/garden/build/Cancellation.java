package io.garden.build;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A handle to stop running work: closing what it registered (build output streams) ends the work early. */
public final class Cancellation {

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Closeable> resources = new CopyOnWriteArrayList<>();

  public static Cancellation none() {
    return new Cancellation();
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Registers something to close on cancel; closes it at once when already cancelled. */
  public void onCancel(Closeable resource) {
    resources.add(resource);
    if (cancelled.get()) {
      closeQuietly(resource);
    }
  }

  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      resources.forEach(Cancellation::closeQuietly);
    }
  }

  /** @throws BuildFailedException when cancelled, so work stops between steps too */
  public void check(String what) {
    if (cancelled.get()) {
      throw new BuildFailedException("Cancelled", what, List.of());
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // Cancelling is best effort: the work fails either way.
    }
  }
}
