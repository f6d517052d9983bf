package io.garden.cli.warm;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Joins the three connections of one command by their session id: the launcher opens them in any order. An
 * output connection whose command never comes is closed after {@link #WAIT}, so none is held for ever.
 */
final class WarmSessions {

  static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MAX_PENDING = 256;

  /** The two output connections of one session. */
  record Outputs(Socket out, Socket err) {
  }

  private record Pending(CompletableFuture<Socket> out, CompletableFuture<Socket> err) {
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  void attach(String sid, boolean stdout, Socket socket) throws IOException {
    if (pending.size() >= MAX_PENDING && !pending.containsKey(sid)) {
      throw new IOException("too many sessions waiting for their command");
    }
    Pending session = pending.computeIfAbsent(sid, this::expiring);
    if (!(stdout ? session.out() : session.err()).complete(socket)) {
      throw new IOException("a second " + (stdout ? "stdout" : "stderr") + " connection for one session");
    }
  }

  /** Both output connections of {@code sid}, waiting up to {@link #WAIT} for them. */
  Outputs take(String sid) throws IOException {
    Pending session = pending.computeIfAbsent(sid, this::expiring);
    try {
      Outputs outputs = new Outputs(session.out().get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
          session.err().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      pending.remove(sid);
      return outputs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the output connections");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the output connections did not come");
    }
  }

  private Pending expiring(String sid) {
    Pending session = new Pending(new CompletableFuture<>(), new CompletableFuture<>());
    CompletableFuture.delayedExecutor(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS).execute(() -> {
      if (pending.remove(sid, session)) {
        session.out().thenAccept(WarmServer::closeQuietly);
        session.err().thenAccept(WarmServer::closeQuietly);
        session.out().cancel(false);
        session.err().cancel(false);
      }
    });
    return session;
  }
}
