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

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final PipelineViews views;
  private final Duration heartbeat;

  public EventStream(Vertx vertx, KafkaSettings settings, PipelineViews views, Duration heartbeat) {
    this.vertx = vertx;
    this.settings = settings;
    this.views = views;
    this.heartbeat = heartbeat;
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
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": garden audit stream\n\n");
    AtomicReference<AuditStreamReader> reader = new AtomicReference<>();
    long timer = vertx.setPeriodic(heartbeat.toMillis(), t -> response.write(": heartbeat\n\n"));
    Runnable cleanup = () -> {
      vertx.cancelTimer(timer);
      AuditStreamReader r = reader.getAndSet(null);
      if (r != null) {
        r.close();
      }
    };
    response.closeHandler(v -> cleanup.run());
    EventCodec codec = EventCodec.shared();
    // Each event waits until the pipeline views have folded it in: a client that saw "finished" here and then
    // asks for the pipeline must not be told it is still running. Chained, so the order stays the stream's.
    InOrder shown = new InOrder();
    AuditStreamReader.open(vertx, settings, "gateway-sse", start, event -> {
          AuditStreamReader r = reader.get();
          if (r == null || response.closed() || !filter.matches(event.envelope())) {
            return;
          }
          String frame = "id: " + StreamPositions.format(r.positions()) + "\nevent: " + event.envelope().type()
              + "\ndata: " + new String(codec.encode(event.envelope()), StandardCharsets.UTF_8) + "\n\n";
          shown.submit(() -> views.seen(event.partition(), event.offset()).andThen(seen -> {
            if (seen.succeeded() && !response.closed()) {
              response.write(frame);
            }
          }));
        })
        .onSuccess(r -> {
          if (response.closed()) {
            r.close();
          } else {
            reader.set(r);
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
