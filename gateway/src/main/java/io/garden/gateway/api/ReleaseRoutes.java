package io.garden.gateway.api;

import io.garden.common.kafka.AuditStreamScan;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.model.Stage;
import io.garden.common.release.Release;
import io.garden.common.release.ReleaseHistory;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/releases?stage=S[&extension=X][&days=N]}: a stage's releases (publish, promote, unpublish, yank,
 * restore) folded from the audit stream by the same {@link ReleaseHistory} as {@code garden history}: who asked, who
 * approved, what changed and on which image digests. It reads {@code days} (30, at most 400) of the stream on a
 * worker thread, one read at a time per gateway (another is told to retry): a page view must not cost a year of
 * events per click.
 */
public final class ReleaseRoutes {

  private static final int DEFAULT_DAYS = 30;
  private static final int MAX_DAYS = 400;

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final Supplier<Admin> admin;
  private final Clock clock;
  private final AtomicBoolean reading = new AtomicBoolean();

  public ReleaseRoutes(Vertx vertx, KafkaSettings kafka, Supplier<Admin> admin, Clock clock) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.admin = admin;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/releases").handler(this::releases);
  }

  private void releases(RoutingContext ctx) {
    Stage stage = stage(ctx.queryParams().get("stage"));
    String extension = ctx.queryParams().get("extension");
    int days = days(ctx.queryParams().get("days"));
    if (!reading.compareAndSet(false, true)) {
      ctx.response().putHeader("Retry-After", "2");
      throw new HttpProblem(503, "another release history is being read on this gateway; retry in a moment");
    }
    vertx.executeBlocking(() -> read(stage, extension, clock.instant().minus(Duration.ofDays(days))), false)
        .onComplete(done -> reading.set(false))
        .onSuccess(releases -> Replies.json(ctx, 200, Map.of("stage", stage.id(), "days", days, "releases",
            releases.stream().map(Release::asMap).toList())))
        .onFailure(ctx::fail);
  }

  private List<Release> read(Stage stage, String extension, Instant since) throws Exception {
    Admin client = admin.get();
    if (client == null) {
      throw new HttpProblem(503, "the gateway is still connecting to Kafka; retry in a moment");
    }
    List<TopicPartition> partitions = client.describeTopics(List.of(Topics.EVENTS)).allTopicNames()
        .get(10, TimeUnit.SECONDS).get(Topics.EVENTS).partitions().stream()
        .map(p -> new TopicPartition(Topics.EVENTS, p.partition())).toList();
    Map<TopicPartition, OffsetSpec> byTime = new HashMap<>();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    partitions.forEach(tp -> {
      byTime.put(tp, OffsetSpec.forTimestamp(since.toEpochMilli()));
      ends.put(tp, OffsetSpec.latest());
    });
    Map<Integer, Long> until = new HashMap<>();
    client.listOffsets(ends).all().get(10, TimeUnit.SECONDS).forEach((tp, end) -> until.put(tp.partition(),
        end.offset()));
    Map<Integer, Long> from = new HashMap<>();
    client.listOffsets(byTime).all().get(10, TimeUnit.SECONDS).forEach((tp, found) -> from.put(tp.partition(),
        found.offset() < 0 ? until.get(tp.partition()) : found.offset()));
    ReleaseHistory history = new ReleaseHistory();
    new AuditStreamScan(ReleaseHistory.TYPES).read(kafka, "releases", from, until, history::accept);
    return history.releases(stage.id(), extension == null || extension.isBlank() ? null : extension);
  }

  private static Stage stage(String value) {
    try {
      return Stage.parse(value);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "name a stage: ?stage=dev, stage or prod");
    }
  }

  private static int days(String value) {
    if (value == null) {
      return DEFAULT_DAYS;
    }
    try {
      int days = Integer.parseInt(value);
      if (days < 1 || days > MAX_DAYS) {
        throw new NumberFormatException();
      }
      return days;
    } catch (NumberFormatException e) {
      throw new HttpProblem(400, "days must be a whole number from 1 to " + MAX_DAYS + ", was '" + value + "'");
    }
  }
}
