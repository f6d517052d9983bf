package io.garden.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may hold the server's connections. At most {@code max} at once; connections that have not shown a credential
 * yet ("anonymous": every connection as it is accepted) may hold all but a reserve, which is kept for connections
 * whose requests authenticated (and for a few health probes), so a flood of idle connections without a token can
 * never lock out those with one. When the anonymous part is full, a new connection takes the place of the oldest
 * anonymous one that has been idle (no request in flight, none for {@link #IDLE_BEFORE_EVICTION}: idle keep-alives
 * are what a flood is made of, and a client that has just connected is about to speak); when every place is taken,
 * the oldest idle keep-alive of a credential holder gives way too (it reconnects when it needs to). A connection
 * that finds no place is answered 503 with Retry-After on its first request, which is never dispatched: every
 * client gets an answer, and no request runs without one. A credential holds at most {@code perCredential}
 * connections: beyond, its request gets 429 and the connection is closed.
 *
 * <p>Not thread-safe by design: the server's connections and requests are all handled on its one event loop.
 */
public final class ConnectionGate {

  /** Health probes may be trusted on this many connections; more stay anonymous (a probe needs only one). */
  private static final int HEALTH_CONNECTIONS = 8;
  private static final String HEALTH = "\u0000health";

  /** A refused connection that sends nothing is closed after this long (its request would be answered 503). */
  private static final long REFUSED_GRACE_MS = 1_000;
  /** How long an anonymous connection must have been quiet before a newcomer may take its place. */
  public static final java.time.Duration IDLE_BEFORE_EVICTION = java.time.Duration.ofSeconds(2);

  private final Vertx vertx;
  private final int max;
  private final int anonymousMax;
  private final int perCredential;
  private final Runnable onRefused;
  private final Map<HttpConnection, State> all = new IdentityHashMap<>();
  /** Anonymous connections, oldest first: the ones a newcomer may take the place of. */
  private final Map<HttpConnection, State> anonymous = new LinkedHashMap<>();
  private final Map<String, Integer> byHolder = new java.util.HashMap<>();
  private int refusedThisMinute;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConnectionGate.class);

  private static final class State {
    String holder;
    boolean refused;
    int inFlight;
    long lastActive = System.nanoTime();
  }

  /**
   * @param max           {@code GARDEN_MAX_CONNECTIONS}
   * @param reserve       connections kept for authenticated callers ({@code GARDEN_RESERVED_CONNECTIONS})
   * @param perCredential connections one credential may hold ({@code GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL})
   * @param onRefused     counts a refused connection (metrics)
   */
  public ConnectionGate(Vertx vertx, int max, int reserve, int perCredential, Runnable onRefused) {
    this.vertx = vertx;
    this.max = max;
    this.anonymousMax = Math.max(1, max - Math.min(reserve, max - 1));
    this.perCredential = perCredential;
    this.onRefused = onRefused;
    // Refusals are said once a minute with their count, not once each: an overload is one line, not thousands.
    vertx.setPeriodic(60_000, t -> {
      if (refusedThisMinute > 0) {
        LOG.warn("{} connection(s) refused in the last minute: every place was taken (GARDEN_MAX_CONNECTIONS={});"
            + " each was answered 503 with Retry-After", refusedThisMinute, max);
        refusedThisMinute = 0;
      }
    });
  }

  public static ConnectionGate of(Vertx vertx, HttpLimits limits, Runnable onRefused) {
    return new ConnectionGate(vertx, limits.maxConnections(), limits.reservedConnections(),
        limits.perCredentialConnections(), onRefused);
  }

  /** A connection was accepted: it gets a place, takes an idle anonymous one's, or is marked refused. */
  public void opened(HttpConnection connection) {
    State state = new State();
    all.put(connection, state);
    connection.closeHandler(v -> closed(connection));
    if (anonymous.size() >= anonymousMax || all.size() > max) {
      // An idle keep-alive of a credential holder gives way too when every place is taken: it reconnects when it
      // needs to, while a health probe or a new caller would otherwise find no way in for as long as it idles.
      if (!evictIdleAnonymous() && !(all.size() > max && evictIdleTrusted())) {
        state.refused = true;
        onRefused.run();
        refusedThisMinute++;
        vertx.setTimer(REFUSED_GRACE_MS, t -> {
          if (all.containsKey(connection)) {
            connection.close();
          }
        });
        return;
      }
    }
    anonymous.put(connection, state);
  }

  private boolean evictIdleAnonymous() {
    long quietSince = System.nanoTime() - IDLE_BEFORE_EVICTION.toNanos();
    Iterator<Map.Entry<HttpConnection, State>> oldest = anonymous.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<HttpConnection, State> entry = oldest.next();
      if (entry.getValue().inFlight == 0 && entry.getValue().lastActive < quietSince) {
        oldest.remove();
        entry.getValue().refused = true;
        entry.getKey().close();
        return true;
      }
    }
    return false;
  }

  private boolean evictIdleTrusted() {
    long quietSince = System.nanoTime() - IDLE_BEFORE_EVICTION.toNanos();
    Map.Entry<HttpConnection, State> oldest = null;
    for (Map.Entry<HttpConnection, State> entry : all.entrySet()) {
      State state = entry.getValue();
      if (state.holder != null && state.inFlight == 0 && state.lastActive < quietSince
          && (oldest == null || state.lastActive < oldest.getValue().lastActive)) {
        oldest = entry;
      }
    }
    if (oldest == null) {
      return false;
    }
    oldest.getValue().refused = true;
    oldest.getKey().close();
    return true;
  }

  private void closed(HttpConnection connection) {
    State state = all.remove(connection);
    anonymous.remove(connection);
    if (state != null && state.holder != null) {
      byHolder.computeIfPresent(state.holder, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * The first handler of every request: a request on a refused connection is answered 503 and never dispatched (a
   * client that got no answer must not find its pipeline running).
   */
  public void admit(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    State state = all.get(connection);
    if (state == null || state.refused) {
      ctx.response().putHeader("Retry-After", "2").putHeader("Connection", "close");
      Replies.error(ctx, 503, "this gateway holds " + max + " connections at most (GARDEN_MAX_CONNECTIONS);"
          + " nothing was done: retry shortly");
      return;
    }
    state.inFlight++;
    state.lastActive = System.nanoTime();
    ctx.addEndHandler(v -> {
      state.inFlight--;
      state.lastActive = System.nanoTime();
    });
    ctx.next();
  }

  /**
   * The request on this connection authenticated as {@code holder}: the connection moves to the trusted part.
   *
   * @return false when the holder has its share of connections already (the caller answers 429 and closes)
   */
  public boolean trust(HttpConnection connection, String holder) {
    State state = all.get(connection);
    if (state == null || holder.equals(state.holder)) {
      return true;
    }
    if (state.holder != null) {
      return true; // another credential on a kept-alive connection: counted against the first, still one connection
    }
    if (byHolder.getOrDefault(holder, 0) >= perCredential) {
      return false;
    }
    state.holder = holder;
    anonymous.remove(connection);
    byHolder.merge(holder, 1, Integer::sum);
    return true;
  }

  /** A health or readiness probe: a few such connections are trusted; more stay anonymous. */
  public void probe(HttpConnection connection) {
    State state = all.get(connection);
    if (state != null && state.holder == null && byHolder.getOrDefault(HEALTH, 0) < HEALTH_CONNECTIONS) {
      trust(connection, HEALTH);
    }
  }

  public int perCredential() {
    return perCredential;
  }

  public int open() {
    return all.size();
  }
}
