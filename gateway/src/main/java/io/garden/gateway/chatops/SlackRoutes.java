package io.garden.gateway.chatops;

import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import io.garden.common.model.Stage;
import io.garden.gateway.http.BoundedBody;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.http.Shares;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.AccessRefused;
import io.garden.gateway.intake.Ask;
import io.garden.gateway.intake.DeliveryLedger;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.intake.Signatures;
import io.garden.gateway.sources.SourcePolicy;
import io.garden.gateway.views.PipelineJson;
import io.garden.gateway.views.PipelineViews;
import io.garden.gateway.views.RegistryReader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /chatops/slack}, a Slack slash command: off → 404 before anything is read; the body, bounded; verify
 * the signature and the timestamp; refuse a replay (signatures are recorded on the audit stream, so a replay is
 * refused after a restart and by every gateway); parse the command; hand the Slack user to the intake, which
 * decides and records; answer at once (Slack gives three seconds), then post progress and the result to the
 * command's {@code response_url}. A refusal is still HTTP 200: Slack shows the text of a 200 to the user, and an
 * error status only as "failed".
 */
public final class SlackRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(SlackRoutes.class);
  private static final Pattern USER = Pattern.compile("[A-Z0-9]{1,32}");
  private static final Pattern CORRELATION = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** A slash command is a few hundred bytes (Slack caps its text at 4,000 characters): nothing larger is read. */
  private static final long MAX_COMMAND_BYTES = 32 * 1024;

  /** Who sent a command (as the intake knows them), the chat message its events are correlated by, and where replies go. */
  private record Asker(Principal principal, String correlation, String responseUrl) {
  }

  private final Vertx vertx;
  private final ChatSettings settings;
  private final SourcePolicy sources;
  private final Intake intake;
  private final RegistryReader registries;
  private final PipelineViews views;
  private final Handler<RoutingContext> body;
  private final Clock clock;
  private final EventCodec codec = EventCodec.shared();
  private final HttpClient http;
  /** Signatures seen within Slack's tolerance (twice it, for clocks that disagree), here and on other gateways. */
  private final DeliveryLedger signatures;
  private final SlackApprovals approvals;
  private final SlackSigned signedRequests;
  /** Where to tell how a pipeline started from chat went. */
  private final Map<String, String> replyTo = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 10_000; // pipelines that never end must not keep their reply address forever
    }
  };

  public SlackRoutes(Vertx vertx, ChatSettings settings, SourcePolicy sources, Intake intake,
                     RegistryReader registries, PipelineViews views, HttpLimits limits, Shares unverifiedBodies,
                     String clientId, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.sources = sources;
    this.intake = intake;
    this.registries = registries;
    this.views = views;
    this.clock = clock;
    this.body = BoundedBody.unverified(vertx, limits, unverifiedBodies, MAX_COMMAND_BYTES);
    this.signatures = new DeliveryLedger(Signatures.SLACK_TOLERANCE.multipliedBy(2), clock);
    this.http = vertx.createHttpClient();
    this.signedRequests = new SlackSigned(settings, signatures, clock);
    this.approvals = new SlackApprovals(vertx, settings, intake, views, signedRequests, limits, unverifiedBodies);
    if (settings.slackSecret().isEmpty()) {
      LOG.info("POST /chatops/slack is off: GARDEN_SLACK_SIGNING_SECRET is not set");
    }
  }

  public void mount(Router router) {
    router.post("/chatops/slack").handler(this::on).handler(body).handler(this::command);
    // The buttons of approval requests posted to Slack: one signing secret, one replay ledger with the commands.
    approvals.mount(router);
  }

  public Future<Void> close() {
    return http.close();
  }

  private void on(RoutingContext ctx) {
    if (settings.slackSecret().isEmpty()) {
      Replies.error(ctx, 404, "chat-ops is off on this gateway (GARDEN_SLACK_SIGNING_SECRET is not set)");
      return;
    }
    ctx.next();
  }

  private void command(RoutingContext ctx) {
    byte[] raw = BoundedBody.of(ctx);
    Optional<List<String>> signed = signedRequests.check(ctx, raw);
    if (signed.isEmpty()) {
      return;
    }
    List<String> keys = signed.get();
    Map<String, String> form = form(new String(raw, StandardCharsets.UTF_8));
    String user = form.getOrDefault("user_id", "");
    if (!USER.matcher(user).matches()) {
      reply(ctx, "This command has no Slack user id; nothing was done.");
      return;
    }
    String trigger = form.getOrDefault("trigger_id", "");
    Asker asker = new Asker(intake.policy().chatUser(user), CORRELATION.matcher(trigger).matches() ? trigger : null,
        form.get("response_url"));
    // Recorded before anything is done: a copy sent to another gateway, or after a restart, finds it.
    intake.received(TriggerKind.SLACK, keys, asker.principal(), null, asker.correlation())
        .onSuccess(v -> act(ctx, asker, ChatCommand.parse(form.get("text"))))
        .onFailure(e -> reply(ctx, "The command could not be recorded, so nothing was done; try again."));
  }

  private void act(RoutingContext ctx, Asker asker, ChatCommand command) {
    if (command instanceof ChatCommand.Invalid invalid) {
      reply(ctx, "Not understood: " + invalid.reason() + ". Commands: " + ChatCommand.USAGE);
    } else if (command instanceof ChatCommand.Status status) {
      intake.authorise(asker.principal(), Ask.read(status.pipeline()), null, asker.correlation())
          .compose(v -> status(status.pipeline()))
          .onSuccess(text -> reply(ctx, text))
          .onFailure(e -> refused(ctx, e, "the status of " + status.pipeline()));
    } else if (command instanceof ChatCommand.Lock lock) {
      registries.lock(lock.stage())
          .onSuccess(view -> reply(ctx, describeLock(lock.stage(), view)))
          .onFailure(e -> reply(ctx, "Could not read the " + lock.stage().id() + " publish lock."));
    } else if (command instanceof ChatCommand.Unlock unlock) {
      submit(ctx, asker, unlock.stage(), List.of(StepName.REMOVE_PUBLISH_LOCK), Targets.all(),
          PipelineOptions.defaults(), "removal of the " + unlock.stage().id() + " publish lock");
    } else if (command instanceof ChatCommand.Publish publish) {
      publish(ctx, asker, publish);
    } else {
      reply(ctx, "Garden commands: " + ChatCommand.USAGE);
    }
  }

  /** Folds the audit stream in: chat requests received by other gateways, and by this one before a restart. */
  /** How far back it remembers request signatures: what a restart must read again for it. */
  public java.time.Duration replayWindow() {
    return signatures.window();
  }

  public void onEvent(Envelope event, boolean live) {
    if (EventTypes.is(event, DeliveryAccepted.class)) {
      try {
        DeliveryAccepted accepted = codec.payload(event, DeliveryAccepted.class);
        if (accepted.kind() == TriggerKind.SLACK) {
          signatures.record(accepted.keys(), "chat", event.time());
        }
      } catch (RuntimeException unreadable) {
        // says nothing about replays
      }
      return;
    }
    follow(event, live);
  }

  private static String describeLock(Stage stage, Map<String, Object> view) {
    if (!Boolean.TRUE.equals(view.get("held"))) {
      return "Nobody holds the " + stage.id() + " publish lock.";
    }
    return "The " + stage.id() + " publish lock is held by " + view.get("owner") + " on " + view.get("host")
        + " since " + view.get("acquiredAt") + " (lease left: " + view.get("leaseLeftSeconds") + " s).";
  }

  /** The extension is found first (a bare name too); one that is not there is said at once, only to the asker. */
  private void publish(RoutingContext ctx, Asker asker, ChatCommand.Publish publish) {
    if (settings.chatSource().isEmpty()) {
      reply(ctx, "Chat-ops has no repository to work on (GARDEN_CHATOPS_REPO is not set); nothing was done.");
      return;
    }
    vertx.executeBlocking(() -> ChatExtensions.resolve(Path.of(settings.chatSource().get()), publish.extension()),
            false)
        .onSuccess(found -> {
          if (found.id() == null) {
            reply(ctx, found.problem() + "; nothing was done.");
            return;
          }
          submit(ctx, asker, publish.stage(), List.of(StepName.PUBLISH_REGISTRY), Targets.of(List.of(found.id())),
              new PipelineOptions(publish.dryRun(), false, false), (publish.dryRun() ? "dry run of the publish of "
                  : "publish of ") + found.id() + " to " + publish.stage().id());
        })
        .onFailure(e -> reply(ctx, "Could not read the chat-ops repository; nothing was done."));
  }

  /** The intake decides and records; the user is told either way, in the channel's words. */
  private void submit(RoutingContext ctx, Asker asker, Stage stage, List<StepName> steps, Targets targets,
                      PipelineOptions options, String what) {
    if (settings.chatSource().isEmpty()) {
      reply(ctx, "The " + what + " could not be queued: chat-ops has no repository to work on (GARDEN_CHATOPS_REPO"
          + " is not set).");
      return;
    }
    SourceRef source;
    try {
      source = sources.check(SourceRef.local(settings.chatSource().get()));
    } catch (IllegalArgumentException e) {
      reply(ctx, "The " + what + " could not be queued: GARDEN_CHATOPS_REPO is not an allowed source.");
      return;
    }
    PipelineRequested request = new PipelineRequested(source, steps, targets, stage.id(), options,
        new Trigger(TriggerKind.SLACK, null, null, null, null, false), null);
    String id = PipelineIds.next(clock);
    if (asker.responseUrl() != null && asker.responseUrl().startsWith(settings.slackReplyUrls())) {
      replyTo.put(id, asker.responseUrl());
    }
    intake.submit(asker.principal(), id, request, asker.correlation())
        .onSuccess(queued -> reply(ctx, "The " + what + " is queued as pipeline " + queued
            + "; progress follows here."))
        .onFailure(e -> {
          replyTo.remove(id);
          refused(ctx, e, what);
        });
  }

  private void refused(RoutingContext ctx, Throwable e, String what) {
    if (e instanceof AccessRefused refusal) {
      reply(ctx, "Not allowed: " + refusal.getMessage() + ". Nothing was done.");
    } else {
      reply(ctx, "The " + what + " could not be queued: " + e.getMessage());
    }
  }

  /** Follows the pipelines started here and tells their channel when they start and end. */
  private void follow(Envelope event, boolean live) {
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
    } else if (payload instanceof PublishPlanned plan) {
      post(url, ChatTables.decisions(plan));
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

  private Future<String> status(String pipeline) {
    if (views.queued(pipeline).isPresent()) {
      return Future.succeededFuture("Pipeline " + pipeline + ": queued");
    }
    return views.find(pipeline).map(found -> found.map(run -> "Pipeline " + pipeline + ": "
            + PipelineJson.state(run)
            + run.finished().map(f -> f.reason() == null ? "" : " (" + f.reason() + ")").orElse(""))
        .orElse("No pipeline " + pipeline + "."));
  }

  private void reply(RoutingContext ctx, String text) {
    if (!ctx.response().ended()) {
      Replies.json(ctx, 200, Map.of("response_type", "ephemeral", "text", text));
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
