package io.garden.gateway.chatops;

import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import io.garden.common.kafka.Topics;
import io.garden.common.model.Stage;
import io.garden.gateway.SourcePolicy;
import io.garden.gateway.api.Api;
import io.garden.gateway.api.PipelineJson;
import io.garden.gateway.api.PipelineIds;
import io.garden.gateway.api.PipelineQueue;
import io.garden.gateway.api.PipelineViews;
import io.garden.gateway.hooks.AccessPolicy;
import io.garden.gateway.hooks.HookSettings;
import io.garden.gateway.hooks.Signatures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code POST /chatops/slack}, a Slack slash command: verify the signature and the timestamp, refuse a replay, parse
 * the command, decide who may (every decision an {@code access.decided} event), answer at once (Slack gives three
 * seconds), then post progress and the result to the command's {@code response_url}. A refusal is still HTTP 200:
 * Slack shows the text of a 200 to the user, and an error status only as "failed".
 */
public final class SlackRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(SlackRoutes.class);
  private static final Pattern USER = Pattern.compile("[A-Z0-9]{1,32}");
  private static final Pattern CORRELATION = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /**
   * Who sent a command: the actor ({@code slack:USERID}), the chat message id its events are correlated by
   * (Slack's {@code trigger_id}), and where replies go.
   */
  private record Asker(String actor, String correlation, String responseUrl) {
    EventContext context(String pipelineId, String clientId) {
      return new EventContext(pipelineId, correlation == null ? pipelineId : correlation, actor, clientId);
    }
  }

  private final Vertx vertx;
  private final HookSettings settings;
  private final SourcePolicy sources;
  private final KafkaProducer<String, byte[]> producer;
  private final PipelineQueue queue;
  private final PipelineViews views;
  private final String clientId;
  private final Clock clock;
  private final long bodyLimit;
  private final Function<Stage, Future<Map<String, Object>>> lockView;
  private final EventCodec codec = EventCodec.shared();
  private final HttpClient http;
  /** Signatures seen within Slack's five minutes: the same signed request twice is a replay. */
  private final LinkedHashMap<String, Instant> recent = new LinkedHashMap<>();
  /** Where to tell how a pipeline started from chat went. */
  private final Map<String, String> replyTo = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 10_000; // pipelines that never end must not keep their reply address forever
    }
  };

  public SlackRoutes(Vertx vertx, HookSettings settings, SourcePolicy sources, KafkaProducer<String, byte[]> producer,
                     PipelineQueue queue, PipelineViews views, String clientId, Clock clock, long bodyLimit,
                     Function<Stage, Future<Map<String, Object>>> lockView) {
    this.vertx = vertx;
    this.settings = settings;
    this.sources = sources;
    this.producer = producer;
    this.queue = queue;
    this.views = views;
    this.clientId = clientId;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
    this.lockView = lockView;
    this.http = vertx.createHttpClient();
    if (settings.slackSecret().isEmpty()) {
      LOG.info("POST /chatops/slack is off: GARDEN_SLACK_SIGNING_SECRET is not set");
    }
  }

  public void mount(Router router) {
    router.post("/chatops/slack").handler(BodyHandler.create().setBodyLimit(bodyLimit).setHandleFileUploads(false))
        .handler(this::command);
  }

  public Future<Void> close() {
    return http.close();
  }

  private void command(RoutingContext ctx) {
    if (settings.slackSecret().isEmpty()) {
      Api.error(ctx, 404, "chat-ops is off on this gateway (GARDEN_SLACK_SIGNING_SECRET is not set)");
      return;
    }
    byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String signature = ctx.request().getHeader("X-Slack-Signature");
    Signatures.Verdict verdict = Signatures.slack(settings.slackSecret().get().getBytes(StandardCharsets.UTF_8),
        ctx.request().getHeader("X-Slack-Request-Timestamp"), raw, signature, clock.instant());
    if (verdict != Signatures.Verdict.VALID) {
      Api.error(ctx, 401, verdict.problem() + " (X-Slack-Signature, X-Slack-Request-Timestamp)");
      return;
    }
    if (replayed(signature)) {
      Api.error(ctx, 401, "this request was already received (a replay)");
      return;
    }
    Map<String, String> form = form(new String(raw, StandardCharsets.UTF_8));
    String user = form.getOrDefault("user_id", "");
    if (!USER.matcher(user).matches()) {
      reply(ctx, "This command has no Slack user id; nothing was done.");
      return;
    }
    String trigger = form.getOrDefault("trigger_id", "");
    Asker asker = new Asker("slack:" + user, CORRELATION.matcher(trigger).matches() ? trigger : null,
        form.get("response_url"));
    String actor = asker.actor();
    ChatCommand command = ChatCommand.parse(form.get("text"));
    if (command instanceof ChatCommand.Invalid invalid) {
      reply(ctx, "Not understood: " + invalid.reason() + ". Commands: " + ChatCommand.USAGE);
    } else if (command instanceof ChatCommand.Status status) {
      reply(ctx, status(status.pipeline()));
    } else if (command instanceof ChatCommand.Lock lock) {
      lockView.apply(lock.stage())
          .onSuccess(view -> reply(ctx, describeLock(lock.stage(), view)))
          .onFailure(e -> reply(ctx, "Could not read the " + lock.stage().id() + " publish lock."));
    } else if (command instanceof ChatCommand.Unlock unlock) {
      decide(ctx, asker, AccessAction.UNLOCK, unlock.stage(), settings.access().unlock(actor, unlock.stage()),
          id -> submit(id, asker, unlock.stage(), List.of(StepName.REMOVE_PUBLISH_LOCK), Targets.all(),
              PipelineOptions.defaults()),
          "removal of the " + unlock.stage().id() + " publish lock");
    } else if (command instanceof ChatCommand.Publish publish) {
      decide(ctx, asker, AccessAction.PUBLISH, publish.stage(), settings.access().publish(actor, publish.stage()),
          id -> submit(id, asker, publish.stage(), List.of(StepName.PUBLISH_REGISTRY),
              Targets.of(List.of(publish.extension())), new PipelineOptions(publish.dryRun(), false, false)),
          (publish.dryRun() ? "dry run of the publish of " : "publish of ") + publish.extension() + " to "
              + publish.stage().id());
    } else {
      reply(ctx, "Garden commands: " + ChatCommand.USAGE);
    }
  }

  private static String describeLock(Stage stage, Map<String, Object> view) {
    if (!Boolean.TRUE.equals(view.get("held"))) {
      return "Nobody holds the " + stage.id() + " publish lock.";
    }
    return "The " + stage.id() + " publish lock is held by " + view.get("owner") + " on " + view.get("host")
        + " since " + view.get("acquiredAt") + " (lease left: " + view.get("leaseLeftSeconds") + " s).";
  }

  /** Records the decision on the audit stream, then acts on it; either way the user is told. */
  private void decide(RoutingContext ctx, Asker asker, AccessAction action, Stage stage,
                      AccessPolicy.Verdict verdict, Function<String, Future<String>> act, String what) {
    // An allowed decision is recorded under the pipeline it starts, so following that pipeline shows who allowed it.
    String id = verdict.allowed() ? newPipelineId() : "chat-" + UUID.randomUUID().toString().substring(0, 8);
    Future<Void> audited = emit(id, asker, new AccessDecided(asker.actor(), action, stage.id(), verdict.allowed(),
        verdict.reason()));
    if (!verdict.allowed()) {
      audited.onComplete(v -> reply(ctx, "Not allowed: " + verdict.reason() + ". Nothing was done."));
      return;
    }
    audited.compose(v -> act.apply(id))
        .onSuccess(queued -> reply(ctx, "The " + what + " is queued as pipeline " + queued
            + "; progress follows here."))
        .onFailure(e -> reply(ctx, "The " + what + " could not be queued: " + e.getMessage()));
  }

  private String newPipelineId() {
    return PipelineIds.next(clock);
  }

  private Future<String> submit(String id, Asker asker, Stage stage, List<StepName> steps, Targets targets,
                                PipelineOptions options) {
    if (settings.chatSource().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("chat-ops has no repository to work on"
          + " (GARDEN_CHATOPS_REPO is not set)"));
    }
    SourceRef source;
    try {
      source = sources.check(SourceRef.local(settings.chatSource().get()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException("GARDEN_CHATOPS_REPO is not an allowed source"));
    }
    PipelineRequested request = new PipelineRequested(source, steps, targets, stage.id(), options,
        new Trigger(TriggerKind.SLACK, null, null, null, null, false), null);
    if (asker.responseUrl() != null && asker.responseUrl().startsWith(settings.slackReplyUrls())) {
      replyTo.put(id, asker.responseUrl());
    }
    return queue.submit(request, asker.context(id, clientId));
  }

  /** Follows the pipelines started here and tells their channel when they start and end. */
  public void onEvent(Envelope event, boolean live) {
    String url = event.pipelineId() == null ? null : replyTo.get(event.pipelineId());
    if (url == null || !live) {
      return;
    }
    EventPayload payload;
    try {
      payload = codec.payload(event);
    } catch (RuntimeException unreadable) {
      return;
    }
    if (payload instanceof PipelineStarted) {
      post(url, "Pipeline " + event.pipelineId() + " started.");
    } else if (payload instanceof PipelineFinished finished) {
      replyTo.remove(event.pipelineId());
      post(url, "Pipeline " + event.pipelineId() + " " + finished.state().wire()
          + (finished.reason() == null ? "." : ": " + finished.reason()));
    }
  }

  private void post(String url, String text) {
    Buffer body = Buffer.buffer(json(Map.of("response_type", "in_channel", "text", text)));
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
            .putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> response.body())
        .onFailure(e -> LOG.warn("chat reply not delivered: {}", e.getMessage()));
  }

  private String status(String pipeline) {
    return views.run(pipeline).map(run -> "Pipeline " + pipeline + ": " + PipelineJson.state(run)
            + run.finished().map(f -> f.reason() == null ? "" : " (" + f.reason() + ")").orElse(""))
        .or(() -> views.queued(pipeline).map(q -> "Pipeline " + pipeline + ": queued"))
        .orElse("No pipeline " + pipeline + ".");
  }

  private Future<Void> emit(String pipelineId, Asker asker, EventPayload payload) {
    EventContext context = asker.context(pipelineId, clientId);
    return producer.send(KafkaProducerRecord.create(Topics.EVENTS, pipelineId, codec.encode(payload, context)))
        .mapEmpty();
  }

  private boolean replayed(String signature) {
    Instant now = clock.instant();
    Iterator<Instant> it = recent.values().iterator();
    while (it.hasNext() && it.next().isBefore(now.minus(Signatures.SLACK_TOLERANCE.multipliedBy(2)))) {
      it.remove();
    }
    return recent.putIfAbsent(signature, now) != null;
  }

  private void reply(RoutingContext ctx, String text) {
    if (!ctx.response().ended()) {
      Api.json(ctx, 200, Map.of("response_type", "ephemeral", "text", text));
    }
  }

  private byte[] json(Object value) {
    try {
      return codec.mapper().writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException badEscape) {
          // A malformed pair is skipped; a command without its fields is answered as such.
        }
      }
    }
    return form;
  }
}
