package io.garden.common.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one piece at a time, in the order it was submitted, on one event loop.
 *
 * <p>Why not {@code tail = tail.compose(...)}: every piece queued behind a pending one then becomes a listener of
 * the one before, and when the head completes, completion runs down the whole chain inside one stack — a thousand
 * pieces queued behind a slow one (a burst of webhooks behind a Kafka write) overflowed it. Here the pending pieces
 * wait in a queue and a loop starts them, so the stack stays one piece deep however long the queue is.
 *
 * <p>Not thread-safe: submit from the owning context only (a verticle's event loop).
 */
public final class InOrder {

  private record Piece(Supplier<Future<Void>> work, Promise<Void> done) {
  }

  private final Deque<Piece> queue = new ArrayDeque<>();
  private boolean running;
  private Future<Void> last = Future.succeededFuture();

  /** Runs {@code work} after everything submitted before it; a piece that throws fails its own future only. */
  public Future<Void> submit(Supplier<Future<Void>> work) {
    Promise<Void> done = Promise.promise();
    queue.addLast(new Piece(work, done));
    last = done.future();
    if (!running) {
      drain();
    }
    return done.future();
  }

  /** Completes when everything submitted so far has run (whatever its outcome). */
  public Future<Void> idle() {
    return last.transform(ignored -> Future.succeededFuture());
  }

  /** How many pieces wait behind the running one. */
  public int pending() {
    return queue.size();
  }

  private void drain() {
    running = true;
    Piece piece;
    while ((piece = queue.pollFirst()) != null) {
      Future<Void> result = start(piece.work());
      if (!result.isComplete()) {
        Piece waiting = piece;
        // The loop resumes from the completion callback: a new stack, not a deeper one.
        result.onComplete(outcome -> {
          waiting.done().handle(outcome);
          drain();
        });
        return;
      }
      // Listeners of a piece may submit more: `running` keeps them queued for this loop instead of recursing.
      piece.done().handle(result);
    }
    running = false;
  }

  private static Future<Void> start(Supplier<Future<Void>> work) {
    try {
      Future<Void> future = work.get();
      return future == null ? Future.succeededFuture() : future;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
