package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.CancelRequested;
import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.TriggerKind;
import io.garden.common.kafka.Topics;
import io.garden.common.store.ContentHash;
import io.garden.gateway.SourcePolicy;
import io.garden.gateway.api.Api;
import io.garden.gateway.api.ApiException;
import io.garden.gateway.api.PipelineIds;
import io.garden.gateway.api.PipelineQueue;
import io.garden.gateway.api.PipelineViews;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /webhooks/github} and {@code POST /webhooks/gitlab}: a signed change from a git host becomes a
 * pipeline, once. Each request goes: verify the signature (before reading anything else) → read the event →
 * de-duplicate → decide (loop guard, forks, what changed) → send the request and the delivery record → answer 202
 * with the id → cancel the older pipeline of the same ref. A redelivery answers 200 with the first pipeline's id.
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

  private final HookSettings settings;
  private final SourcePolicy sources;
  private final KafkaProducer<String, byte[]> producer;
  private final PipelineQueue queue;
  private final PipelineViews views;
  private final DeliveryLedger ledger;
  private final String clientId;
  private final Clock clock;
  private final long bodyLimit;
  private final EventCodec codec = EventCodec.shared();
  /** Deliveries being sent: a duplicate arriving meanwhile waits for the first and answers its id. */
  private final Map<String, Future<String>> inFlight = new HashMap<>();

  public WebhookRoutes(HookSettings settings, SourcePolicy sources, KafkaProducer<String, byte[]> producer,
                       PipelineQueue queue, PipelineViews views, String clientId, Clock clock, long bodyLimit) {
    this.settings = settings;
    this.sources = sources;
    this.producer = producer;
    this.queue = queue;
    this.views = views;
    this.clientId = clientId;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
    this.ledger = new DeliveryLedger(settings.dedupWindow(), clock);
    if (settings.githubSecret().isEmpty()) {
      LOG.info("POST /webhooks/github is off: GARDEN_GITHUB_WEBHOOK_SECRET is not set");
    }
    if (settings.gitlabToken().isEmpty()) {
      LOG.info("POST /webhooks/gitlab is off: GARDEN_GITLAB_WEBHOOK_TOKEN is not set");
    }
  }

  public void mount(Router router) {
    router.post("/webhooks/github").handler(body()).handler(this::github);
    router.post("/webhooks/gitlab").handler(body()).handler(this::gitlab);
  }

  private BodyHandler body() {
    return BodyHandler.create().setBodyLimit(bodyLimit).setHandleFileUploads(false);
  }

  /** Folds the audit stream in: deliveries and pipelines of other gateways, and of this one before a restart. */
  public void onEvent(Envelope event) {
    try {
      fold(event);
    } catch (RuntimeException unreadable) {
      // An event this version cannot read says nothing about deliveries; the views skip it too.
    }
  }

  private void fold(Envelope event) {
    if (EventTypes.is(event, DeliveryAccepted.class)) {
      ledger.record(codec.payload(event, DeliveryAccepted.class).keys(), event.pipelineId(), event.time());
    } else if (EventTypes.is(event, PipelineRequested.class)) {
      PipelineRequested request = codec.payload(event, PipelineRequested.class);
      if (request.trigger() != null && request.trigger().kind() != TriggerKind.SLACK) {
        ledger.newest(request.trigger().concurrencyKey(), event.pipelineId());
      }
    }
  }

  // ---- GitHub ----

  private void github(RoutingContext ctx) {
    if (settings.githubSecret().isEmpty()) {
      Api.error(ctx, 404, "GitHub webhooks are off on this gateway (GARDEN_GITHUB_WEBHOOK_SECRET is not set)");
      return;
    }
    byte[] raw = raw(ctx);
    Signatures.Verdict verdict = Signatures.github(utf8(settings.githubSecret().get()), raw,
        ctx.request().getHeader("X-Hub-Signature-256"));
    if (verdict != Signatures.Verdict.VALID) {
      Api.error(ctx, 401, verdict.problem() + " (X-Hub-Signature-256)");
      return;
    }
    String event = String.valueOf(ctx.request().getHeader("X-GitHub-Event"));
    if (event.equals("ping")) {
      Api.json(ctx, 200, Map.of("pong", true));
      return;
    }
    Optional<CodeChange> change = switch (event) {
      case "push" -> parse(() -> GithubPayloads.push(json(raw)));
      case "pull_request" -> parse(() -> GithubPayloads.pullRequest(json(raw)));
      default -> {
        Api.json(ctx, 200, Map.of("ignored", "GitHub event '" + event + "' starts nothing here"));
        yield null;
      }
    };
    if (change == null) {
      return;
    }
    List<String> keys = keys(TriggerKind.GITHUB, ctx.request().getHeader("X-GitHub-Delivery"), raw);
    intake(ctx, change, keys, ctx.request().getHeader("X-GitHub-Delivery"));
  }

  // ---- GitLab ----

  private void gitlab(RoutingContext ctx) {
    if (settings.gitlabToken().isEmpty()) {
      Api.error(ctx, 404, "GitLab webhooks are off on this gateway (GARDEN_GITLAB_WEBHOOK_TOKEN is not set)");
      return;
    }
    Signatures.Verdict verdict = Signatures.gitlab(utf8(settings.gitlabToken().get()),
        ctx.request().getHeader("X-Gitlab-Token"));
    if (verdict != Signatures.Verdict.VALID) {
      Api.error(ctx, 401, verdict.problem() + " (X-Gitlab-Token)");
      return;
    }
    byte[] raw = raw(ctx);
    String event = String.valueOf(ctx.request().getHeader("X-Gitlab-Event"));
    Optional<CodeChange> change = switch (event) {
      case "Push Hook" -> parse(() -> GitlabPayloads.push(json(raw)));
      case "Merge Request Hook" -> parse(() -> GitlabPayloads.mergeRequest(json(raw)));
      default -> {
        Api.json(ctx, 200, Map.of("ignored", "GitLab event '" + event + "' starts nothing here"));
        yield null;
      }
    };
    if (change == null) {
      return;
    }
    String delivery = Optional.ofNullable(ctx.request().getHeader("Idempotency-Key"))
        .orElse(ctx.request().getHeader("X-Gitlab-Event-UUID"));
    intake(ctx, change, keys(TriggerKind.GITLAB, delivery, raw), delivery);
  }

  // ---- shared: de-duplicate, decide, send, supersede ----

  private void intake(RoutingContext ctx, Optional<CodeChange> change, List<String> keys, String delivery) {
    Optional<Future<String>> pending = keys.stream().map(inFlight::get).filter(f -> f != null).findFirst();
    if (pending.isPresent()) {
      pending.get().onSuccess(id -> duplicate(ctx, id)).onFailure(ctx::fail);
      return;
    }
    Optional<String> seen = ledger.find(keys);
    if (seen.isPresent()) {
      duplicate(ctx, seen.get());
      return;
    }
    if (change.isEmpty()) {
      Api.json(ctx, 200, Map.of("ignored", "nothing to check (a deleted branch, or a request action that changes"
          + " no code)"));
      return;
    }
    HookPolicy.Decision decision = settings.policy().decide(change.get(), safe(delivery));
    if (decision instanceof HookPolicy.Decision.Ignore ignore) {
      Api.json(ctx, 200, Map.of("ignored", ignore.reason()));
      return;
    }
    PipelineRequested request = ((HookPolicy.Decision.Run) decision).request();
    try {
      sources.check(request.source());
    } catch (IllegalArgumentException e) {
      throw new ApiException(403, e.getMessage());
    }
    String id = PipelineIds.next(clock);
    String actor = change.get().kind().wire() + ":" + (change.get().author() == null ? "unknown"
        : safe(change.get().author()));
    Future<String> sent = send(id, request, keys, actor, delivery);
    keys.forEach(k -> inFlight.put(k, sent));
    sent.onComplete(r -> keys.forEach(inFlight::remove))
        .onSuccess(v -> {
          ledger.record(keys, id, clock.instant());
          Api.json(ctx, 202, Map.of("id", id, "state", "queued", "url", "/api/v1/pipelines/" + id));
          supersede(request, id, actor);
        })
        .onFailure(ctx::fail);
  }

  private Future<String> send(String id, PipelineRequested request, List<String> keys, String actor,
                              String delivery) {
    EventContext context = new EventContext(id, delivery == null ? id : safe(delivery), actor, clientId);
    Envelope accepted = codec.envelope(new DeliveryAccepted(request.trigger().kind(), keys), context);
    Future<String> requested = queue.submit(request, context);
    Future<?> recorded = producer.send(KafkaProducerRecord.create(Topics.EVENTS, id, codec.encode(accepted)));
    return Future.all(requested, recorded).map(v -> id);
  }

  /** A newer push to a ref cancels the older pipeline still running for it (a publish in it finishes first). */
  private void supersede(PipelineRequested request, String id, String actor) {
    Optional<String> older = ledger.newest(request.trigger().concurrencyKey(), id);
    if (!settings.supersede() || older.isEmpty() || views.run(older.get()).map(r -> r.isFinished()).orElse(false)) {
      return;
    }
    CancelRequested cancel = new CancelRequested("superseded by " + id);
    EventContext context = new EventContext(older.get(), older.get(), actor, clientId);
    producer.send(KafkaProducerRecord.create(Topics.EVENTS, older.get(), codec.encode(cancel, context)))
        .onFailure(e -> LOG.warn("could not cancel pipeline {} superseded by {}: {}", older.get(), id,
            e.getMessage()));
  }

  private static void duplicate(RoutingContext ctx, String id) {
    Api.json(ctx, 200, Map.of("id", id, "duplicate", true, "url", "/api/v1/pipelines/" + id));
  }

  /** The keys a delivery is known by: its id (when sent) and its body's hash. */
  static List<String> keys(TriggerKind kind, String delivery, byte[] body) {
    List<String> keys = new ArrayList<>(2);
    if (delivery != null && !delivery.isBlank()) {
      keys.add(kind.wire() + ":delivery:" + delivery.trim());
    }
    keys.add(kind.wire() + ":body:" + ContentHash.sha256(body));
    return keys;
  }

  private static Optional<CodeChange> parse(java.util.function.Supplier<Optional<CodeChange>> parser) {
    try {
      return parser.get();
    } catch (HookPayloadException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  private JsonNode json(byte[] raw) {
    try {
      JsonNode node = codec.mapper().readTree(raw);
      if (node == null || !node.isObject()) {
        throw new ApiException(400, "the webhook body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ApiException(400, "the webhook body is not valid JSON");
    }
  }

  private static byte[] raw(RoutingContext ctx) {
    return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String safe(String value) {
    if (value == null) {
      return null;
    }
    return Api.RECORDABLE_NAME.matcher(value).matches() ? value : ContentHash.sha256(utf8(value)).substring(0, 16);
  }
}
