package io.garden.gateway.api;

import io.garden.gateway.http.Replies;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Shares;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.views.PipelineViews;

import io.garden.common.event.EventCodec;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.worker.InOrder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/events}: the audit stream as Server-Sent Events. Filters {@code pipeline}, {@code extension},
 * {@code type} (comma-separated) and {@code since} (a stream position, an offset, or an ISO time); a reconnecting
 * client sends {@code Last-Event-ID} and continues where it was. With a {@code pipeline} filter the stream starts
 * at that pipeline's first event. Comment lines every {@code heartbeat} keep proxies from closing an idle stream.
 */
public final class EventStream {

  /** Frames one client may have waiting; beyond it the client is cut off with its resume position. */
  static final int CLIENT_QUEUE = 1000;
  /** Frames waiting for the pipeline views before a catching-up reader is held back. */
  private static final int UNSEEN_LIMIT = 256;
  /** Small fetches for catching-up readers: what one paused client holds stays in the hundreds of KiB. */
  private static final Map<String, String> SMALL_FETCHES = Map.of("max.partition.fetch.bytes", "262144",
      "fetch.max.bytes", "1048576", "max.poll.records", "100");

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final PipelineViews views;
  private final Duration heartbeat;
  private final StreamLimits limits;
  private final StreamHub hub = new StreamHub();
  private final EventCodec codec = EventCodec.shared();
  /** Streams open, a share per credential; and of those, reading history. */
  private final Shares open;
  private final Shares catchingUp;
  /** Every open stream and the credential (its stored hash) it was opened with: revoked, it is closed. */
  private final Map<StreamClient, String> clients = new java.util.LinkedHashMap<>();

  public EventStream(Vertx vertx, KafkaSettings settings, PipelineViews views, Duration heartbeat,
                     StreamLimits limits) {
    this.vertx = vertx;
    this.settings = settings.withConsumerOverrides(SMALL_FETCHES);
    this.views = views;
    this.heartbeat = heartbeat;
    this.limits = limits;
    this.open = new Shares(limits.maxStreams(), limits.perCredential());
    this.catchingUp = new Shares(limits.maxCatchingUp(), limits.perCredentialCatchingUp());
  }

  /**
   * Closes every stream whose credential no longer authenticates (called after the credentials are read again): a
   * revoked credential stops receiving the audit log within the re-read interval, not when it next reconnects.
   *
   * @return how many were closed
   */
  public int closeRevoked(java.util.function.Predicate<String> stillValid) {
    List<StreamClient> revoked = clients.entrySet().stream().filter(e -> !stillValid.test(e.getValue()))
        .map(Map.Entry::getKey).toList();
    revoked.forEach(StreamClient::revoked);
    return revoked.size();
  }

  /** Hands a live event, folded into the views, to every client following the stream from now. */
  public void live(AuditStreamReader.Positioned event) {
    hub.publish(event, () -> StreamPositions.format(views.positions()));
  }

  public void handle(RoutingContext ctx) {
    EventFilter filter;
    Optional<AuditStreamReader.StartAt> asked;
    try {
      String since = ctx.queryParams().get("since");
      Instant sinceTime = since != null && since.contains("T") ? instant(since) : null;
      filter = new EventFilter(ctx.queryParams().get("pipeline"), ctx.queryParams().get("extension"),
          types(ctx.queryParams().get("type")), sinceTime);
      asked = startAt(ctx.request().getHeader("Last-Event-ID"), since, sinceTime);
    } catch (HttpProblem e) {
      Replies.error(ctx, e.status(), e.getMessage());
      return;
    }
    String pipeline = filter.pipeline();
    // One look for a named pipeline answers both questions: is there one, and where do its events begin.
    Future<AuditStreamReader.StartAt> start = pipeline == null
        ? Future.succeededFuture(asked.orElse(AuditStreamReader.StartAt.end()))
        : views.streamStartNow(pipeline).compose(first -> first.isEmpty()
            ? Future.failedFuture(new HttpProblem(404, "no pipeline " + pipeline + " (garden pipelines lists them)"))
            : Future.succeededFuture(asked.orElse(new AuditStreamReader.StartAt(first.get(), true))));
    start.onSuccess(at -> serve(ctx, filter, at)).onFailure(ctx::fail);
  }

  private void serve(RoutingContext ctx, EventFilter filter, AuditStreamReader.StartAt start) {
    boolean live = start.time() == null && start.restAtEnd()
        && (start.offsets().isEmpty() || start.offsets().equals(views.positions()));
    String who = Authenticated.principal(ctx).actor();
    Shares.Outcome stream = open.take(who, 1);
    if (stream != Shares.Outcome.TAKEN) {
      busy(ctx, stream, "this gateway serves " + limits.maxStreams() + " event streams at most (GARDEN_MAX_STREAMS);"
          + " retry soon", who + " has " + limits.perCredential() + " event streams open already"
          + " (GARDEN_MAX_STREAMS_PER_CREDENTIAL): close one");
      return;
    }
    if (!live) {
      Shares.Outcome history = catchingUp.take(who, 1);
      if (history != Shares.Outcome.TAKEN) {
        open.give(who, 1);
        busy(ctx, history, limits.maxCatchingUp() + " event streams are reading history already"
            + " (GARDEN_MAX_CATCHUP_STREAMS); retry soon, or follow from now (no since, no Last-Event-ID)",
            who + " has " + limits.perCredentialCatchingUp() + " streams reading history already"
            + " (GARDEN_MAX_CATCHUP_STREAMS_PER_CREDENTIAL): close one, or follow from now");
        return;
      }
    }
    String credential = new String(Authenticated.secret(ctx), StandardCharsets.US_ASCII);
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": garden audit stream\n\n");
    Stream opened = new Stream(who, credential);
    if (live) {
      follow(response, ctx.request().connection(), filter, opened);
    } else {
      catchUp(response, ctx.request().connection(), filter, start, opened);
    }
  }

  /** Who holds one open stream, for its shares and for revocation. */
  private record Stream(String holder, String credential) {
  }

  private static void busy(RoutingContext ctx, Shares.Outcome outcome, String allFull, String holderFull) {
    ctx.response().putHeader("Retry-After", "5");
    Replies.error(ctx, outcome == Shares.Outcome.HOLDER_FULL ? 429 : 503,
        outcome == Shares.Outcome.HOLDER_FULL ? holderFull : allFull);
  }

  /** From now: the shared reader's events, through this client's bounded queue. */
  private void follow(HttpServerResponse response, HttpConnection connection, EventFilter filter, Stream stream) {
    Runnable[] unsubscribe = {() -> { }};
    long[] timer = {-1};
    StreamClient[] self = {null};
    StreamClient client = new StreamClient(response, connection, CLIENT_QUEUE, StreamPositions.format(views.positions()),
        () -> { }, () -> { }, once(() -> {
          vertx.cancelTimer(timer[0]);
          unsubscribe[0].run();
          open.give(stream.holder(), 1);
          clients.remove(self[0]);
        }));
    self[0] = client;
    clients.put(client, stream.credential());
    client.send(StreamPositions.format(views.positions()), caughtUpFrame(views.positions()));
    unsubscribe[0] = hub.subscribe(filter, client);
    timer[0] = vertx.setPeriodic(heartbeat.toMillis(), t -> client.heartbeat());
  }

  /**
   * From a position in the past: a reader of its own, held back (paused) while the client is not reading and while
   * the views have not folded what it read yet, so what waits in memory stays small whatever the history.
   */
  private void catchUp(HttpServerResponse response, HttpConnection connection, EventFilter filter,
                       AuditStreamReader.StartAt start, Stream stream) {
    CatchUp state = new CatchUp(stream.holder());
    long[] timer = {-1};
    StreamClient[] self = {null};
    StreamClient client = new StreamClient(response, connection, CLIENT_QUEUE, start.offsets().isEmpty() ? null
        : StreamPositions.format(start.offsets()),
        () -> state.holdBack(0, true), () -> state.holdBack(0, false), once(() -> {
          vertx.cancelTimer(timer[0]);
          state.end();
          open.give(stream.holder(), 1);
          clients.remove(self[0]);
        }));
    self[0] = client;
    clients.put(client, stream.credential());
    state.client = client;
    timer[0] = vertx.setPeriodic(Math.min(heartbeat.toMillis(), 1000), t -> {
      client.heartbeat();
      if (client.stalledFor(limits.stall().toNanos())) {
        client.cutOff("it read nothing for " + limits.stall().toSeconds() + " s");
      }
    });
    AuditStreamReader.open(vertx, settings, "gateway-sse", start, event -> {
          if (state.reader == null || response.closed()) {
            return;
          }
          boolean wanted = filter.matches(event.envelope());
          String id = StreamPositions.format(state.reader.positions());
          String frame = wanted ? StreamHub.frame(codec, id, event.envelope()) : null;
          // Shown once the views have folded it (a client never sees what the API does not know yet), or, should
          // the views not say so, anyway: a gap is worse than an early event.
          state.shown.submit(() -> views.seen(event.partition(), event.offset()).transform(seen -> {
            if (state.handOver.fromHistory(event.partition(), event.offset()) && wanted) {
              client.send(id, frame);
            }
            state.afterShown();
            return io.vertx.core.Future.<Void>succeededFuture();
          }));
          if (state.shown.pending() > UNSEEN_LIMIT) {
            state.holdBack(1, true);
          }
        })
        .onSuccess(r -> {
          if (response.closed()) {
            r.close();
            return;
          }
          state.reader = r;
          state.handOver = new HandOver(r.positions());
          // Hears the live stream from the start: nothing the views fold meanwhile can slip past this client.
          state.unsubscribe = hub.subscribe(filter, client, live -> {
            boolean send = state.handOver.fromLive(live.partition(), live.offset());
            state.afterLive();
            return send;
          });
          state.apply();
          r.caughtUp().onSuccess(v -> {
            state.caughtUp = true;
            state.afterShown();
          });
        })
        .onFailure(e -> {
          vertx.cancelTimer(timer[0]);
          if (!response.closed()) {
            response.end("event: error\ndata: {\"error\":\"the audit stream is unavailable\"}\n\n");
          }
        });
  }

  /**
   * A client reading history: its own reader, held back while the client or the views lag, and the live stream
   * heard from the start; {@link HandOver} decides which of the two sends each event, so none is missed or sent
   * twice. Once history has sent everything the views have folded, the client is live: its reader (and its place
   * among the {@code GARDEN_MAX_CATCHUP_STREAMS}) is given back. Confined to the event loop, like the views' own
   * reader.
   */
  private final class CatchUp {
    final String holder;
    final InOrder shown = new InOrder();
    final boolean[] heldBack = {false, false}; // by the client, by the views
    AuditStreamReader reader;
    StreamClient client;
    HandOver handOver;
    boolean caughtUp;
    boolean saidCaughtUp;
    boolean holdsCatchUpPlace = true;
    Runnable unsubscribe;

    CatchUp(String holder) {
      this.holder = holder;
    }

    void holdBack(int by, boolean held) {
      heldBack[by] = held;
      apply();
    }

    void apply() {
      if (reader != null) {
        if (heldBack[0] || heldBack[1]) {
          reader.pause();
        } else {
          reader.resume();
        }
      }
    }

    void afterShown() {
      if (heldBack[1] && shown.pending() < UNSEEN_LIMIT / 2) {
        holdBack(1, false);
      }
      if (caughtUp && !saidCaughtUp && reader != null && shown.pending() == 0) {
        saidCaughtUp = true;
        client.send(StreamPositions.format(reader.positions()), caughtUpFrame(reader.positions()));
      }
      switchWhenDone();
    }

    /** After a live event: the views moved on, which may be all history was waiting for. */
    void afterLive() {
      switchWhenDone();
    }

    private void switchWhenDone() {
      if (reader != null && saidCaughtUp && handOver.trySwitch(views.positions())) {
        reader.close();
        reader = null;
        giveBackCatchUpPlace();
      }
    }

    /** The client's place among the streams reading history: given back once, at the switch or at the end. */
    private void giveBackCatchUpPlace() {
      if (holdsCatchUpPlace) {
        holdsCatchUpPlace = false;
        catchingUp.give(holder, 1);
      }
    }

    void end() {
      if (unsubscribe != null) {
        unsubscribe.run();
      }
      if (reader != null) {
        reader.close();
        reader = null;
      }
      giveBackCatchUpPlace();
    }
  }

  /**
   * Says that everything on the stream when the client asked has been sent (no {@code id:}: it is no event): a client
   * that wanted history only ({@code garden tail --no-follow}, {@code garden audit}) stops here.
   */
  private static String caughtUpFrame(Map<Integer, Long> positions) {
    return "event: caught-up\ndata: {\"position\":\"" + StreamPositions.format(positions) + "\"}\n\n";
  }

  /** A clean-up that may be asked for twice (the client cut off, then its connection closing) runs once. */
  private static Runnable once(Runnable cleanup) {
    boolean[] done = {false};
    return () -> {
      if (!done[0]) {
        done[0] = true;
        cleanup.run();
      }
    };
  }

  /** Where the client asked to start (Last-Event-ID, or since); empty when it did not say. */
  private Optional<AuditStreamReader.StartAt> startAt(String lastEventId, String since, Instant sinceTime) {
    if (lastEventId != null && !lastEventId.isBlank()) {
      return Optional.of(AuditStreamReader.StartAt.at(StreamPositions.parse(lastEventId)));
    }
    if (sinceTime != null) {
      return Optional.of(AuditStreamReader.StartAt.since(sinceTime));
    }
    if (since != null && !since.isBlank()) {
      if (since.contains(":")) {
        return Optional.of(AuditStreamReader.StartAt.at(StreamPositions.parse(since)));
      }
      long offset = offset(since);
      Map<Integer, Long> all = new HashMap<>();
      views.positions().keySet().forEach(p -> all.put(p, offset));
      return Optional.of(new AuditStreamReader.StartAt(all, false));
    }
    return Optional.empty();
  }

  private static long offset(String value) {
    try {
      long offset = Long.parseLong(value.trim());
      if (offset < 0) {
        throw new NumberFormatException();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw new HttpProblem(400, "since must be an offset, a stream position (0:12,1:40) or an ISO time"
          + " (2026-11-25T07:30:00Z), was '" + value + "'");
    }
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new HttpProblem(400, "since is not an ISO time (like 2026-11-25T07:30:00Z): '" + value + "'");
    }
  }

  /** The types asked for; one that names no event type (a typo) is a 400 at once, not a stream that stays silent. */
  static Set<String> types(String value) {
    Set<String> types = value == null || value.isBlank() ? Set.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Set<String> known = io.garden.common.event.EventTypes.all().keySet();
    for (String type : types) {
      boolean matches = type.endsWith(".") ? known.stream().anyMatch(k -> k.startsWith(type)) : known.contains(type);
      if (!matches) {
        throw new HttpProblem(400, "type '" + type + "' is no event type; known: "
            + String.join(", ", new java.util.TreeSet<>(known)) + " (a prefix ending in '.', like step., takes a"
            + " family)");
      }
    }
    return types;
  }

}
