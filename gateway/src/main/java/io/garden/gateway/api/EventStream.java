package io.garden.gateway.api;

import io.garden.gateway.http.Replies;
import io.garden.gateway.http.HttpProblem;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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
  private int open;
  private int catchingUp;

  public EventStream(Vertx vertx, KafkaSettings settings, PipelineViews views, Duration heartbeat,
                     StreamLimits limits) {
    this.vertx = vertx;
    this.settings = settings.withConsumerOverrides(SMALL_FETCHES);
    this.views = views;
    this.heartbeat = heartbeat;
    this.limits = limits;
  }

  /** Hands a live event, folded into the views, to every client following the stream from now. */
  public void live(AuditStreamReader.Positioned event) {
    hub.publish(event.envelope(), StreamPositions.format(views.positions()));
  }

  public void handle(RoutingContext ctx) {
    EventFilter filter;
    AuditStreamReader.StartAt start;
    try {
      String since = ctx.queryParams().get("since");
      Instant sinceTime = since != null && since.contains("T") ? instant(since) : null;
      filter = new EventFilter(ctx.queryParams().get("pipeline"), ctx.queryParams().get("extension"),
          types(ctx.queryParams().get("type")), sinceTime);
      start = startAt(ctx.request().getHeader("Last-Event-ID"), since, sinceTime, filter.pipeline());
    } catch (HttpProblem e) {
      Replies.error(ctx, e.status(), e.getMessage());
      return;
    }
    boolean live = start.restAtEnd() && (start.offsets().isEmpty() || start.offsets().equals(views.positions()));
    if (open >= limits.maxStreams() || !live && catchingUp >= limits.maxCatchingUp()) {
      ctx.response().putHeader("Retry-After", "5");
      Replies.error(ctx, 503, open >= limits.maxStreams()
          ? "this gateway serves " + limits.maxStreams() + " event streams at most (GARDEN_MAX_STREAMS); retry soon"
          : limits.maxCatchingUp() + " event streams are reading history already (GARDEN_MAX_CATCHUP_STREAMS);"
              + " retry soon, or follow from now (no since, no Last-Event-ID)");
      return;
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": garden audit stream\n\n");
    open++;
    if (live) {
      follow(response, ctx.request().connection(), filter);
    } else {
      catchUp(response, ctx.request().connection(), filter, start);
    }
  }

  /** From now: the shared reader's events, through this client's bounded queue. */
  private void follow(HttpServerResponse response, HttpConnection connection, EventFilter filter) {
    StreamClient client = new StreamClient(response, connection, CLIENT_QUEUE, StreamPositions.format(views.positions()),
        () -> { }, () -> { });
    Runnable unsubscribe = hub.subscribe(filter, client);
    long timer = vertx.setPeriodic(heartbeat.toMillis(), t -> client.heartbeat());
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      unsubscribe.run();
      open--;
    });
  }

  /**
   * From a position in the past: a reader of its own, held back (paused) while the client is not reading and while
   * the views have not folded what it read yet, so what waits in memory stays small whatever the history.
   */
  private void catchUp(HttpServerResponse response, HttpConnection connection, EventFilter filter,
                       AuditStreamReader.StartAt start) {
    catchingUp++;
    AtomicReference<AuditStreamReader> reader = new AtomicReference<>();
    boolean[] heldBack = {false, false}; // by the client, by the views
    Runnable apply = () -> {
      AuditStreamReader r = reader.get();
      if (r != null) {
        if (heldBack[0] || heldBack[1]) {
          r.pause();
        } else {
          r.resume();
        }
      }
    };
    StreamClient client = new StreamClient(response, connection, CLIENT_QUEUE, start.offsets().isEmpty() ? null
        : StreamPositions.format(start.offsets()),
        () -> { heldBack[0] = true; apply.run(); }, () -> { heldBack[0] = false; apply.run(); });
    long timer = vertx.setPeriodic(Math.min(heartbeat.toMillis(), 1000), t -> {
      client.heartbeat();
      if (client.stalledFor(limits.stall().toNanos())) {
        client.cutOff("it read nothing for " + limits.stall().toSeconds() + " s");
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      AuditStreamReader r = reader.getAndSet(null);
      if (r != null) {
        r.close();
      }
      open--;
      catchingUp--;
    });
    // Each event waits until the pipeline views have folded it in: a client that saw "finished" here and then
    // asks for the pipeline must not be told it is still running. In order, so the order stays the stream's.
    InOrder shown = new InOrder();
    AuditStreamReader.open(vertx, settings, "gateway-sse", start, event -> {
          AuditStreamReader r = reader.get();
          if (r == null || response.closed() || !filter.matches(event.envelope())) {
            return;
          }
          String id = StreamPositions.format(r.positions());
          String frame = StreamHub.frame(codec, id, event.envelope());
          shown.submit(() -> views.seen(event.partition(), event.offset()).andThen(seen -> {
            if (seen.succeeded()) {
              client.send(id, frame);
            }
            if (heldBack[1] && shown.pending() < UNSEEN_LIMIT / 2) {
              heldBack[1] = false;
              apply.run();
            }
          }));
          if (!heldBack[1] && shown.pending() > UNSEEN_LIMIT) {
            heldBack[1] = true;
            apply.run();
          }
        })
        .onSuccess(r -> {
          if (response.closed()) {
            r.close();
          } else {
            reader.set(r);
            apply.run();
          }
        })
        .onFailure(e -> {
          vertx.cancelTimer(timer);
          if (!response.closed()) {
            response.end("event: error\ndata: {\"error\":\"the audit stream is unavailable\"}\n\n");
          }
        });
  }

  private AuditStreamReader.StartAt startAt(String lastEventId, String since, Instant sinceTime, String pipeline) {
    if (lastEventId != null && !lastEventId.isBlank()) {
      return AuditStreamReader.StartAt.at(StreamPositions.parse(lastEventId));
    }
    if (sinceTime != null) {
      return AuditStreamReader.StartAt.beginning();
    }
    if (since != null && !since.isBlank()) {
      if (since.contains(":")) {
        return AuditStreamReader.StartAt.at(StreamPositions.parse(since));
      }
      long offset = offset(since);
      Map<Integer, Long> all = new HashMap<>();
      views.positions().keySet().forEach(p -> all.put(p, offset));
      return new AuditStreamReader.StartAt(all, false);
    }
    if (pipeline != null) {
      // Its first event if the view has seen one; else the view's own place: nothing it has not seen is before it.
      Map<Integer, Long> at = views.firstEvent(pipeline)
          .map(first -> Map.of(first.partition(), first.offset()))
          .orElseGet(views::positions);
      return new AuditStreamReader.StartAt(at, true);
    }
    return AuditStreamReader.StartAt.end();
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

  private static Set<String> types(String value) {
    return value == null || value.isBlank() ? Set.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

}
