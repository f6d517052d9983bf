package io.garden.gateway;

import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.AuditStreamScan;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Producers;
import io.garden.common.kafka.RestorePoints;
import io.garden.common.store.ObjectStores;
import io.garden.common.service.KafkaProbe;
import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineRequested;
import io.garden.gateway.api.EventStream;
import io.garden.gateway.api.OperatorPage;
import io.garden.gateway.api.PipelineRequests;
import io.garden.gateway.api.PipelineRoutes;
import io.garden.gateway.api.RegistryRoutes;
import io.garden.gateway.chatops.SlackRoutes;
import io.garden.gateway.hooks.WebhookRoutes;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.CredentialKeeper;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.PipelineQueue;
import io.garden.gateway.views.PipelineArchive;
import io.garden.gateway.views.PipelineViews;
import io.garden.gateway.views.RegistryReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's HTTP server: it listens (bounded connections, idle and body timeouts), authenticates API callers
 * (a named credential or the shared token; never a header the caller names itself with), serves health, readiness
 * and metrics, and mounts the doors: the API's routes, the webhooks and chat-ops. The doors decide nothing
 * themselves: each hands its authenticated principal to the one {@link Intake}. It only ever talks to Kafka and the
 * stores, never to a worker.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** How often the credential file is looked at: a revoked credential stops working within this. */
  private static final Duration CREDENTIALS_RELOAD = Duration.ofSeconds(2);
  /** How often the views' restore point moves up (see {@link PipelineViews#checkpoint()}). */
  private static final Duration CHECKPOINT = Duration.ofSeconds(10);
  /** The name of the views' restore point on the audit stream. */
  public static final String RESTORE_POINT = "views";

  private final KafkaSettings settings;
  private final GardenConfig config;
  private final GatewayConfig gateway;
  private final Duration heartbeat;
  private final Clock clock = Clock.systemUTC();
  private PipelineViews views;
  private PipelineArchive archive;
  private long checkpointTimer = -1;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final io.garden.gateway.http.Shares unverifiedBodies;
  private final io.garden.gateway.http.Shares authenticatedBodies;
  private io.garden.gateway.http.ConnectionGate gate;
  private BearerDoor door;
  private final CredentialKeeper credentials;

  private KafkaProducer<String, byte[]> producer;
  private Admin admin;
  private KafkaProbe probe;
  private EventStream events;
  private final java.util.function.Supplier<List<String>> coordinator;
  private HttpServer server;
  private Intake intake;
  private WebhookRoutes webhooks;
  private SlackRoutes slack;
  private long reloadTimer = -1;

  public GatewayVerticle(KafkaSettings settings, GardenConfig config, GatewayConfig gateway, Duration heartbeat) {
    this(settings, config, gateway, heartbeat, List::of);
  }

  /** @param coordinator what the coordinator beside this API is waiting for (readiness); empty when live */
  public GatewayVerticle(KafkaSettings settings, GardenConfig config, GatewayConfig gateway, Duration heartbeat,
                         java.util.function.Supplier<List<String>> coordinator) {
    this.coordinator = coordinator;
    this.settings = settings;
    this.config = config;
    this.gateway = gateway;
    this.heartbeat = heartbeat;
    if (gateway.apiToken().isEmpty() && gateway.credentialsFile().isEmpty()) {
      throw new IllegalArgumentException("neither GARDEN_API_TOKENS_FILE nor GARDEN_API_TOKEN (or"
          + " GARDEN_API_TOKEN_FILE) is set: the gateway does not run without credentials (garden token create"
          + " NAME --roles ... makes named ones)");
    }
    this.credentials = new CredentialKeeper(gateway.credentialsFile(), gateway.apiToken(), clock);
    this.authenticatedBodies = gateway.http().authenticatedBodies();
    this.unverifiedBodies = gateway.http().unverifiedBodies();
  }

  private static final String CATCHING_UP = "this gateway is catching up with the audit stream";

  /** Set once the views and ledgers have read the audit stream up to where it was at start: the API is served. */
  private volatile boolean caughtUp;

  /** The port the server listens on (useful when it was started on port 0). */
  public int port() {
    return server.actualPort();
  }

  /** What the replay ledgers (deliveries, chat signatures, the newest pipeline per ref) are folded from. */
  private static final AuditStreamScan LEDGER_EVENTS = new AuditStreamScan(java.util.Set.of(
      EventTypes.nameOf(DeliveryAccepted.class), EventTypes.nameOf(PipelineRequested.class)));
  private static final int LEDGER_BATCH = 1_000;

  /** Where the views start (their restore point), and from where the replay ledgers need the stream. */
  private record Restore(Map<Integer, Long> point, Map<Integer, Long> window) {
  }

  @Override
  public Future<?> start() {
    producer = Producers.create(vertx, settings.requestProducer());
    archive = new PipelineArchive(() -> ObjectStores.open(config.artifactStore(), defaultRoot()));
    views = new PipelineViews(vertx, archive, gateway.history().recent());
    PipelineQueue queue = new PipelineQueue(producer, views);
    intake = new Intake(gateway.access(), producer, queue, views, settings.clientId(),
        gateway.http().perPrincipalPipelines());
    RegistryReader registries = new RegistryReader(vertx, config, defaultRoot(), clock);
    webhooks = new WebhookRoutes(vertx, gateway.hooks(), gateway.sourcePolicy(), intake, views, gateway.http(),
        unverifiedBodies, settings.clientId(), clock);
    slack = new SlackRoutes(vertx, gateway.chat(), gateway.sourcePolicy(), intake, registries, views,
        gateway.http(), unverifiedBodies, settings.clientId(), clock);
    events = new EventStream(vertx, settings, views, heartbeat, gateway.streams());
    gate = io.garden.gateway.http.ConnectionGate.of(vertx, gateway.http(), metrics::refusedConnection);
    door = new BearerDoor(credentials, gate, intake);
    Router router = router(registries);
    // Listening first, before anything asks Kafka: while the gateway starts and its views and ledgers catch up
    // with the audit stream, /health answers and everything else is a 503 that says so, not a refused connection.
    return vertx.createHttpServer(serverOptions())
        .connectionHandler(gate::opened)
        .requestHandler(router).listen(gateway.port(), gateway.bind())
        .recover(this::portTaken)
        .compose(s -> {
          server = s;
          return vertx.executeBlocking(() -> {
            admin = Admin.create(settings.admin());
            credentials.reload();
            return restore();
          });
        })
        .onSuccess(a -> probe = KafkaProbe.start(vertx, () -> Readiness.check(admin)))
        .compose(restore -> replayLedgers(restore).map(restore))
        .compose(restore -> views.start(settings, restore.point(), (positioned, live) -> {
          Envelope event = positioned.envelope();
          webhooks.onEvent(event);
          slack.onEvent(event, live);
          if (live) {
            metrics.event(event);
            events.live(positioned);
          }
        }))
        .onSuccess(v -> {
          caughtUp = true;
          LOG.info("gateway: caught up with the audit stream; serving");
          checkpointTimer = vertx.setPeriodic(CHECKPOINT.toMillis(), t -> checkpoint());
          if (credentials.watchesFile()) {
            reloadTimer = vertx.setPeriodic(CREDENTIALS_RELOAD.toMillis(), t -> vertx.executeBlocking(
                credentials::reload, false).onSuccess(changed -> {
                  if (changed) {
                    closeRevokedStreams();
                  }
                })
                .onFailure(e -> LOG.warn("credentials: keeping the ones loaded before: {}", e.getMessage())));
          }
        });
  }

  @Override
  public Future<?> stop() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    if (checkpointTimer >= 0) {
      vertx.cancelTimer(checkpointTimer);
    }
    if (probe != null) {
      probe.close();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(views::stop)
        .eventually(() -> slack == null ? Future.succeededFuture() : slack.close())
        .eventually(() -> webhooks == null ? Future.succeededFuture() : webhooks.close())
        .eventually(() -> producer.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          if (admin != null) {
            admin.close(Duration.ofSeconds(5));
          }
          archive.close();
          return null;
        }));
  }

  /**
   * The views replay from their restore point; without one (a first start) they read everything once, and archive
   * every finished pipeline. The replay ledgers (deliveries, chat signatures) remember a window of time instead, so
   * they also read from the start of that window, found by time.
   */
  private Restore restore() {
    Map<Integer, Long> point = RestorePoints.read(admin, RESTORE_POINT);
    Duration window = java.util.Collections.max(List.of(webhooks.replayWindow(), slack.replayWindow()));
    Map<Integer, Long> since = RestorePoints.since(admin, clock.instant().minus(window));
    LOG.info("gateway views: {}", point.isEmpty() ? "no restore point yet: reading the whole audit stream once"
        + " (finished pipelines are archived to " + archive.describe() + ")"
        : "restoring from " + point + ", the replay ledgers from " + since + " (" + window + " ago)");
    return new Restore(point, since);
  }

  /**
   * The part of the ledgers' window before the views' restore point, read first so the ledgers see their events in
   * stream order; the views' own replay hands them the rest. Only deliveries and requests matter to them: the scan
   * passes every other event over undecoded (a busy day is a million of them), on a worker thread, and hands the
   * few it finds to this event loop in batches, in order, before the views start.
   */
  private Future<Void> replayLedgers(Restore restore) {
    if (restore.point().isEmpty()) {
      return Future.succeededFuture(); // the views read everything
    }
    Map<Integer, Long> from = RestorePoints.earlier(restore.window(), restore.point());
    io.vertx.core.Context owner = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      long started = System.nanoTime();
      List<Envelope> batch = new ArrayList<>();
      long looked = LEDGER_EVENTS.read(settings, "gateway-ledgers", from, restore.point(), event -> {
        batch.add(event);
        if (batch.size() == LEDGER_BATCH) {
          handOver(owner, List.copyOf(batch));
          batch.clear();
        }
      });
      handOver(owner, List.copyOf(batch));
      LOG.info("gateway: replay ledgers read {} event(s) of their window in {} ms", looked,
          (System.nanoTime() - started) / 1_000_000);
      return null;
    }, false);
  }

  /** Runs on the ledgers' event loop, after the batches before it: their owner is that loop alone. */
  private void handOver(io.vertx.core.Context owner, List<Envelope> batch) {
    owner.runOnContext(v -> batch.forEach(event -> {
      webhooks.onEvent(event);
      slack.onEvent(event, false);
    }));
  }

  /** Moves the views' restore point up; a failure leaves the older one, which is still safe to restart from. */
  private void checkpoint() {
    Map<Integer, Long> point = views.checkpoint();
    if (point.isEmpty()) {
      return;
    }
    vertx.executeBlocking(() -> {
      RestorePoints.write(admin, RESTORE_POINT, point);
      return null;
    }, false).onFailure(e -> LOG.warn("gateway views: restore point not moved (a restart reads further back): {}",
        e.getMessage()));
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setIdleTimeout((int) gateway.http().idle().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        // Small header and form bounds: nothing a client sends is decoded beyond what a request needs.
        .setMaxHeaderSize(16 * 1024)
        .setMaxInitialLineLength(8 * 1024);
  }

  /** A port in use is said with the setting that moves it, at once, not as the socket's bare message. */
  private Future<HttpServer> portTaken(Throwable e) {
    if (e instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
      return Future.failedFuture(new IllegalStateException("port " + gateway.port() + " on " + gateway.bind()
          + " is taken (another gateway or program listens there): set GARDEN_PORT, or --port, to a free one"));
    }
    return Future.failedFuture(e);
  }

  /** Streams opened with a credential that no longer authenticates end now, not when they next reconnect. */
  private void closeRevokedStreams() {
    int closed = events.closeRevoked(credentials.current()::accepts);
    if (closed > 0) {
      LOG.info("credentials: closed {} event stream(s) of revoked credentials", closed);
    }
  }

  private Router router(RegistryReader registries) {
    Router router = Router.router(vertx);
    router.route().handler(this::timed);
    router.route().handler(gate::admit);
    router.get("/health").handler(ctx -> {
      gate.probe(ctx.request().connection());
      Replies.json(ctx, 200, Map.of("status", "UP"));
    });
    router.get("/ready").handler(ctx -> {
      gate.probe(ctx.request().connection());
      ready(ctx);
    });
    router.route().handler(ctx -> {
      if (caughtUp) {
        ctx.next();
        return;
      }
      ctx.response().putHeader("Retry-After", "5");
      Replies.error(ctx, 503, CATCHING_UP + "; retry in a few seconds");
    });
    // What the gateway is doing (pipelines, actors' traffic) is for a credential's eyes: Prometheus sends one
    // (authorization: credentials_file). The services' own /metrics are on GARDEN_HEALTH_PORT, a port of their own.
    router.get("/metrics").handler(door::handle).handler(this::metrics);
    new OperatorPage().mount(router);
    webhooks.mount(router);
    slack.mount(router);
    router.route("/api/v1/*").handler(door::handle);
    new PipelineRoutes(vertx, new PipelineRequests(gateway.sourcePolicy(), clock), intake, views, config,
        gateway.http(), authenticatedBodies, defaultRoot()).mount(router);
    new io.garden.gateway.api.ApprovalRoutes(vertx, intake, views, gateway.http(), authenticatedBodies).mount(router);
    router.get("/api/v1/events").handler(events::handle);
    // Who the credential is and what it may do: the page shows a button only to whoever may use it.
    new io.garden.gateway.api.MeRoute(intake.policy()).mount(router);
    new io.garden.gateway.api.ReleaseRoutes(vertx, settings, () -> admin, clock).mount(router);
    new io.garden.gateway.api.DoctorRoute(vertx, config, defaultRoot(), () -> admin,
        () -> probe == null ? List.of("starting") : probe.problems()).mount(router);
    new RegistryRoutes(registries, intake, gateway.sourcePolicy(), defaultRoot(), clock).mount(router);
    router.route().last().handler(ctx -> Replies.error(ctx, 404, "no such endpoint: " + ctx.request().method()
        + " " + ctx.request().path()));
    router.errorHandler(500, this::failed);
    return router;
  }

  private void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof io.garden.gateway.intake.AccessRefused) {
      ctx.put(BearerDoor.RECORDED, true); // the intake wrote its access.decided already
    }
    if (failure instanceof HttpProblem e) {
      if (e.retryAfterSeconds() > 0) {
        ctx.response().putHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
      }
      Replies.error(ctx, e.status(), e.getMessage());
      return;
    }
    if (failure instanceof org.apache.kafka.common.KafkaException) {
      // Not acknowledged in time (the broker is away): the request was dropped, so saying so is the truth.
      ctx.response().putHeader("Retry-After", "10");
      Replies.error(ctx, 503, "Kafka did not take the request within " + KafkaSettings.REQUEST_ACK_TIMEOUT_MS / 1000
          + " s, so nothing was queued; retry later (with the same Idempotency-Key, a retry cannot run it twice)");
      return;
    }
    LOG.error("gateway: {} {} failed", ctx.request().method(), ctx.request().path(), failure);
    Replies.error(ctx, 500, "internal error; the gateway log has the details");
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

  /** Answers at once from the probe's last look at Kafka and the coordinator's state: never waits on Kafka. */
  private void ready(RoutingContext ctx) {
    List<String> problems = new ArrayList<>(probe == null ? List.of("starting") : probe.problems());
    if (!caughtUp) {
      problems.add(CATCHING_UP);
    }
    problems.addAll(coordinator.get());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", problems.isEmpty() ? "READY" : "NOT_READY");
    body.put("problems", problems);
    Replies.json(ctx, problems.isEmpty() ? 200 : 503, body);
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
}
