package io.garden.gateway.api;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.Artifact;
import io.garden.common.event.CancelRequested;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.coordinator.PipelineRun;
import io.garden.gateway.chatops.SlackRoutes;
import io.garden.gateway.hooks.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API: submit, follow, cancel and inspect pipelines; the audit stream as Server-Sent Events; what each
 * stage's registry holds; health, readiness and metrics. Everything under {@code /api/v1} needs the bearer token.
 * It only ever talks to Kafka and the stores, never to a worker.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final KafkaSettings settings;
  private final GardenConfig config;
  private final GatewayConfig gateway;
  private final Duration heartbeat;
  private final EventCodec codec = EventCodec.shared();
  private final Clock clock = Clock.systemUTC();
  private final PipelineViews views = new PipelineViews();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final byte[] token;

  private KafkaProducer<String, byte[]> producer;
  private Admin admin;
  private HttpServer server;
  private PipelineIntake intake;
  private PipelineQueue queue;
  private WebhookRoutes webhooks;
  private SlackRoutes slack;

  public GatewayVerticle(KafkaSettings settings, GardenConfig config, GatewayConfig gateway, Duration heartbeat) {
    this.settings = settings;
    this.config = config;
    this.gateway = gateway;
    this.heartbeat = heartbeat;
    this.token = gateway.apiToken()
        .orElseThrow(() -> new IllegalArgumentException("GARDEN_API_TOKEN (or GARDEN_API_TOKEN_FILE) is not set:"
            + " the gateway does not run without a token"))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The port the server listens on (useful when it was started on port 0). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, settings.producer());
    intake = new PipelineIntake(gateway.sourcePolicy(), clock);
    queue = new PipelineQueue(producer, views);
    webhooks = new WebhookRoutes(gateway.hooks(), gateway.sourcePolicy(), producer, queue, views,
        settings.clientId(), clock, gateway.bodyLimit());
    slack = new SlackRoutes(vertx, gateway.hooks(), gateway.sourcePolicy(), producer, queue, views,
        settings.clientId(), clock, gateway.bodyLimit(), this::lockView);
    return vertx.executeBlocking(() -> admin = Admin.create(settings.admin()))
        .compose(a -> views.start(vertx, settings, (event, live) -> {
          webhooks.onEvent(event);
          slack.onEvent(event, live);
          if (live) {
            metrics.event(event);
          }
        }))
        .compose(v -> vertx.createHttpServer().requestHandler(router()).listen(gateway.port()))
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(views::stop)
        .eventually(() -> slack == null ? Future.succeededFuture() : slack.close())
        .eventually(() -> producer.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          if (admin != null) {
            admin.close(Duration.ofSeconds(5));
          }
          return null;
        }));
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::timed);
    router.get("/health").handler(ctx -> Api.json(ctx, 200, Map.of("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    new OperatorPage().mount(router);
    webhooks.mount(router);
    slack.mount(router);
    router.route("/api/v1/*").handler(this::authenticated);
    router.post("/api/v1/pipelines").handler(BodyHandler.create().setBodyLimit(gateway.bodyLimit())
        .setHandleFileUploads(false)).handler(this::submit);
    router.get("/api/v1/pipelines").handler(this::list);
    router.get("/api/v1/pipelines/:id").handler(this::show);
    router.delete("/api/v1/pipelines/:id").handler(this::cancel);
    router.get("/api/v1/pipelines/:id/artifacts/:name").handler(this::artifact);
    router.get("/api/v1/events").handler(new EventStream(vertx, settings, views, heartbeat)::handle);
    router.get("/api/v1/registry/:stage").handler(ctx -> registry(ctx, false));
    router.get("/api/v1/registry/:stage/lock").handler(ctx -> registry(ctx, true));
    router.route().last().handler(ctx -> Api.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
        + ctx.request().path()));
    router.errorHandler(413, ctx -> Api.error(ctx, 413, "the request body is larger than " + gateway.bodyLimit()
        + " bytes"));
    router.errorHandler(500, ctx -> {
      Throwable failure = ctx.failure();
      if (failure instanceof ApiException e) {
        Api.error(ctx, e.status(), e.getMessage());
        return;
      }
      LOG.error("gateway: {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      Api.error(ctx, 500, "internal error; the gateway log has the details");
    });
    return router;
  }

  private void timed(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(v -> {
      String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other"
          : ctx.currentRoute().getPath();
      metrics.http(ctx.request().method().name(), route, ctx.response().getStatusCode(), System.nanoTime() - started);
    });
    ctx.next();
  }

  /** Bearer token, compared in constant time, before the body is even read. */
  private void authenticated(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"garden\"");
      Api.error(ctx, 401, header == null ? "missing bearer token (Authorization: Bearer $GARDEN_API_TOKEN)"
          : "wrong bearer token");
      return;
    }
    ctx.next();
  }

  private void submit(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String actor = actor(ctx);
    vertx.executeBlocking(() -> intake.check(body), false)
        .compose(accepted -> {
          EventContext context = new EventContext(accepted.id(), correlation(ctx, accepted.id()), actor,
              settings.clientId());
          return queue.submit(accepted.request(), context);
        })
        .onSuccess(id -> Api.json(ctx, 202, Map.of("id", id, "state", "queued",
            "url", "/api/v1/pipelines/" + id)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", 50);
    String state = ctx.queryParams().get("state");
    if (state != null && !PipelineJson.STATES.contains(state)) {
      throw new ApiException(400, "state must be one of " + String.join(", ", PipelineJson.STATES));
    }
    List<Map<String, Object>> items = new java.util.ArrayList<>();
    if (state == null || state.equals("queued")) {
      views.queued().forEach(q -> items.add(PipelineJson.of(q)));
    }
    views.recent().stream().filter(r -> state == null || PipelineJson.state(r).equals(state))
        .forEach(r -> items.add(PipelineJson.summary(r)));
    Api.json(ctx, 200, Map.of("pipelines", items.stream().limit(limit).toList()));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var run = views.run(id);
    if (run.isPresent()) {
      Api.json(ctx, 200, PipelineJson.of(run.get()));
    } else {
      Api.json(ctx, 200, PipelineJson.of(views.queued(id).orElseThrow(() -> unknown(id))));
    }
  }

  private void cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!views.knows(id)) {
      throw unknown(id);
    }
    PipelineRun run = views.run(id).orElse(null);
    if (run != null && run.isFinished()) {
      throw new ApiException(409, "pipeline " + id + " has already " + PipelineJson.state(run));
    }
    String actor = actor(ctx);
    CancelRequested cancel = new CancelRequested("cancelled by " + actor);
    EventContext context = new EventContext(id, correlation(ctx, id), actor, settings.clientId());
    producer.send(KafkaProducerRecord.create(Topics.EVENTS, id, codec.encode(cancel, context)))
        .onSuccess(m -> Api.json(ctx, 202, Map.of("id", id, "state", "cancelling")))
        .onFailure(ctx::fail);
  }

  private void artifact(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String name = ctx.pathParam("name");
    PipelineRun run = views.run(id).orElseThrow(() -> unknown(id));
    Artifact artifact = run.artifacts().stream().filter(a -> a.name().equals(name)).findFirst()
        .orElseThrow(() -> new ApiException(404, "pipeline " + id + " has no artifact " + name));
    Path root = run.started().map(PipelineStarted::source).filter(SourceRef::isLocal)
        .map(s -> Path.of(s.path())).orElse(defaultRoot());
    vertx.executeBlocking(() -> {
          try (ObjectStore store = ObjectStores.open(config.artifactStore(), root)) {
            return store.get(artifact.key()).orElseThrow(() -> new ApiException(410, "artifact " + name
                + " of pipeline " + id + " is no longer in " + store.describe())).body();
          }
        }, false)
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/gzip")
            .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
            .end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  private void registry(RoutingContext ctx, boolean lock) {
    Stage stage;
    try {
      stage = Stage.parse(ctx.pathParam("stage"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, e.getMessage());
    }
    vertx.executeBlocking(() -> {
          try (ObjectStore store = ObjectStores.open(config.store(stage), defaultRoot())) {
            return lock ? RegistryView.lock(store, stage, clock) : RegistryView.published(store, stage);
          }
        }, false)
        .onSuccess(json -> Api.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private Future<Map<String, Object>> lockView(Stage stage) {
    return vertx.executeBlocking(() -> {
      try (ObjectStore store = ObjectStores.open(config.store(stage), defaultRoot())) {
        return RegistryView.lock(store, stage, clock);
      }
    }, false);
  }

  private void ready(RoutingContext ctx) {
    vertx.executeBlocking(() -> Readiness.check(admin), false)
        .onSuccess(problems -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", problems.isEmpty() ? "READY" : "NOT_READY");
          body.put("problems", problems);
          Api.json(ctx, problems.isEmpty() ? 200 : 503, body);
        })
        .onFailure(ctx::fail);
  }

  private void metrics(RoutingContext ctx) {
    vertx.executeBlocking(() -> {
          Readiness.lag(admin).forEach(metrics::lag);
          return metrics.scrape();
        }, false)
        .onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(text))
        .onFailure(ctx::fail);
  }

  private Path defaultRoot() {
    return gateway.allowedPaths().isEmpty() ? Path.of("").toAbsolutePath() : gateway.allowedPaths().get(0);
  }

  private static ApiException unknown(String id) {
    return new ApiException(404, "no pipeline " + id);
  }

  /** Who asked: the caller may name itself ({@code X-Garden-Actor}); the token says it came through the API. */
  private static String actor(RoutingContext ctx) {
    String named = ctx.request().getHeader("X-Garden-Actor");
    return named != null && Api.RECORDABLE_NAME.matcher(named).matches() ? "api:" + named : "api";
  }

  private static String correlation(RoutingContext ctx, String fallback) {
    String given = ctx.request().getHeader("X-Request-Id");
    return given != null && Api.RECORDABLE_NAME.matcher(given).matches() ? given : fallback;
  }

  private static int intParam(RoutingContext ctx, String name, int fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 1 || parsed > 1000) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a whole number from 1 to 1000, was '" + value + "'");
    }
  }
}
