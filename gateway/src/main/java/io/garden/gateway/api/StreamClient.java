package io.garden.gateway.api;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One event-stream client's side of the connection: frames go out as fast as the client reads, the rest wait in a
 * queue of at most {@code maxQueued} frames. Whoever feeds it is told to hold back ({@code pause}) while the
 * connection's own buffer is full and to go on ({@code resume}) once it drained; a client that still falls
 * further behind is cut off with the position to resume from, never buffered without bound.
 */
final class StreamClient {

  private record Frame(String id, String text) {
  }

  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final int maxQueued;
  private final Runnable pause;
  private final Runnable resume;
  private final Runnable ended;
  private final Deque<Frame> queue = new ArrayDeque<>();
  private String lastSent;
  private boolean paused;
  private long pausedSince;
  private boolean cut;

  /**
   * @param lastSent the position the client is at before anything is sent (where a cut-off client resumes)
   * @param ended    run once when the stream ends, whoever ends it: frees what the stream held (its reader, its place)
   */
  StreamClient(HttpServerResponse response, HttpConnection connection, int maxQueued, String lastSent, Runnable pause,
               Runnable resume, Runnable ended) {
    this.ended = ended;
    this.response = response;
    this.connection = connection;
    this.maxQueued = maxQueued;
    this.lastSent = lastSent;
    this.pause = pause;
    this.resume = resume;
    response.drainHandler(v -> flush());
    response.closeHandler(v -> ended.run());
  }

  /** Sends, or queues, one frame; false once the client is gone or was cut off. */
  boolean send(String id, String text) {
    if (cut || response.closed()) {
      return false;
    }
    if (queue.isEmpty() && !response.writeQueueFull()) {
      write(new Frame(id, text));
    } else {
      queue.addLast(new Frame(id, text));
      if (queue.size() > maxQueued) {
        cutOff("it fell more than " + maxQueued + " events behind");
        return false;
      }
    }
    holdBackIfFull();
    return true;
  }

  /** A comment line that keeps proxies from closing an idle stream; skipped while the client is not reading. */
  void heartbeat() {
    if (!cut && !response.closed() && !response.writeQueueFull()) {
      response.write(": heartbeat\n\n");
    }
  }

  /** Whether its feeder has been held back for longer than {@code nanos}: a client that stopped reading. */
  boolean stalledFor(long nanos) {
    return paused && System.nanoTime() - pausedSince > nanos;
  }

  /** Ends the stream with the position to resume from ({@code Last-Event-ID}), so the client loses nothing. */
  void cutOff(String why) {
    if (cut || response.closed()) {
      return;
    }
    cut = true;
    queue.clear();
    String resumeAt = lastSent == null ? "" : lastSent;
    response.end("event: lagging\ndata: {\"error\":\"stream ended: " + why + "; reconnect with Last-Event-ID: "
        + resumeAt + " to go on from there\",\"resume\":\"" + resumeAt + "\"}\n\n");
    ended.run();
    // A client that reads nothing would keep the connection (and what it holds) open: a graceful close would wait
    // for it to read the end, so the connection is shut down at once.
    connection.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Ends the stream because its credential no longer authenticates: nothing more is sent to it. */
  void revoked() {
    if (cut || response.closed()) {
      return;
    }
    cut = true;
    queue.clear();
    response.end("event: revoked\ndata: {\"error\":\"stream ended: the credential it was opened with was"
        + " revoked\"}\n\n");
    ended.run();
    connection.shutdown(0, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void flush() {
    while (!queue.isEmpty() && !response.writeQueueFull() && !response.closed()) {
      write(queue.pollFirst());
    }
    if (queue.isEmpty() && !response.writeQueueFull() && paused) {
      paused = false;
      resume.run();
    }
  }

  private void write(Frame frame) {
    response.write(frame.text());
    lastSent = frame.id();
  }

  private void holdBackIfFull() {
    if (!paused && (response.writeQueueFull() || !queue.isEmpty())) {
      paused = true;
      pausedSince = System.nanoTime();
      pause.run();
    }
  }
}
