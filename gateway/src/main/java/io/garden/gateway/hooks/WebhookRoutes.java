package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.TriggerKind;
import io.garden.common.store.ContentHash;
import io.garden.gateway.http.BoundedBody;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.http.Shares;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.DeliveryLedger;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.intake.Signatures;
import io.garden.gateway.sources.SourcePolicy;
import io.garden.common.tracing.Tracing;
import io.garden.gateway.views.PipelineViews;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
 * pipeline, once. Each request goes: off → 404 before anything is read; GitLab's token (a header) before the body;
 * the body, bounded; GitHub's signature over it → read the event → de-duplicate → decide (loop guard, forks, what
 * changed, too old) → the intake authorises the sender and queues → record the delivery → answer 202 with the id →
 * cancel the older pipeline of the same ref, unless this change is the older one. A redelivery answers 200 with the
 * first pipeline's id.
 */
public final class WebhookRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

  private final HookSettings settings;
  private final SourcePolicy sources;
  private final Intake intake;
  private final PipelineViews views;
  private final DeliveryLedger ledger;
  private final Handler<RoutingContext> body;
  private final Clock clock;
  private final EventCodec codec = EventCodec.shared();
  /** Deliveries being sent: a duplicate arriving meanwhile waits for the first and answers its id. */
  private final Map<String, Future<String>> inFlight = new HashMap<>();
  /** Where a {@code /garden plan} comment's pull request is read. */
  private final PullRequests pulls;

  public WebhookRoutes(Vertx vertx, HookSettings settings, SourcePolicy sources, Intake intake, PipelineViews views,
                       HttpLimits limits, Shares unverifiedBodies, String clientId, Clock clock) {
    this.settings = settings;
    this.sources = sources;
    this.intake = intake;
    this.views = views;
    this.clock = clock;
    this.body = BoundedBody.unverified(vertx, limits, unverifiedBodies);
    this.ledger = new DeliveryLedger(settings.dedupWindow(), clock);
    this.pulls = new PullRequests(vertx, settings);
    if (settings.githubSecret().isEmpty()) {
      LOG.info("POST /webhooks/github is off: GARDEN_GITHUB_WEBHOOK_SECRET is not set");
    }
    if (settings.gitlabToken().isEmpty()) {
      LOG.info("POST /webhooks/gitlab is off: GARDEN_GITLAB_WEBHOOK_TOKEN is not set");
    }
  }

  public void mount(Router router) {
    router.post("/webhooks/github").handler(this::githubOn).handler(body).handler(this::github);
    router.post("/webhooks/gitlab").handler(this::gitlabToken).handler(body).handler(this::gitlab);
  }

  /** Folds the audit stream in: deliveries and pipelines of other gateways, and of this one before a restart. */
  /** How far back its ledger remembers deliveries: what a restart must read again for it. */
  public java.time.Duration replayWindow() {
    return ledger.window();
  }

  public void onEvent(Envelope event) {
    try {
      fold(event);
    } catch (RuntimeException unreadable) {
      // An event this version cannot read says nothing about deliveries; the views skip it too.
    }
  }

  private void fold(Envelope event) {
    if (EventTypes.is(event, DeliveryAccepted.class)) {
      DeliveryAccepted accepted = codec.payload(event, DeliveryAccepted.class);
      if (accepted.kind() != TriggerKind.SLACK) {
        ledger.record(accepted.keys(), event.pipelineId(), event.time());
      }
    } else if (EventTypes.is(event, PipelineRequested.class)) {
      PipelineRequested request = codec.payload(event, PipelineRequested.class);
      if (request.trigger() != null && request.trigger().kind() != TriggerKind.SLACK) {
        ledger.newest(request.trigger().concurrencyKey(), event.pipelineId(), request.trigger().sentAt());
      }
    }
  }

  // ---- GitHub ----

  private void githubOn(RoutingContext ctx) {
    if (settings.githubSecret().isEmpty()) {
      Replies.error(ctx, 404, "GitHub webhooks are off on this gateway (GARDEN_GITHUB_WEBHOOK_SECRET is not set)");
      return;
    }
    ctx.next();
  }

  private void github(RoutingContext ctx) {
    byte[] raw = BoundedBody.of(ctx);
    Signatures.Verdict verdict = Signatures.github(utf8(settings.githubSecret().get()), raw,
        ctx.request().getHeader("X-Hub-Signature-256"));
    if (verdict != Signatures.Verdict.VALID) {
      Replies.error(ctx, 401, verdict.problem() + " (X-Hub-Signature-256)");
      return;
    }
    String event = String.valueOf(ctx.request().getHeader("X-GitHub-Event"));
    if (event.equals("ping")) {
      Replies.json(ctx, 200, Map.of("pong", true));
      return;
    }
    if (event.equals("issue_comment")) {
      planAgain(ctx, raw);
      return;
    }
    Optional<CodeChange> change = switch (event) {
      case "push" -> parse(() -> GithubPayloads.push(json(raw)));
      case "pull_request" -> parse(() -> GithubPayloads.pullRequest(json(raw)));
      default -> {
        Replies.json(ctx, 200, Map.of("ignored", "GitHub event '" + event + "' starts nothing here"));
        yield null;
      }
    };
    if (change == null) {
      return;
    }
    List<String> keys = keys(TriggerKind.GITHUB, ctx.request().getHeader("X-GitHub-Delivery"), raw);
    intake(ctx, change, keys, ctx.request().getHeader("X-GitHub-Delivery"));
  }

  public Future<Void> close() {
    return pulls.close();
  }

  /**
   * A {@code /garden plan} comment by someone with a say in the repository runs the pull request's pipeline again,
   * on its head as GitHub's API says it is now (the comment does not name it); a fork's stays validate-only.
   */
  private void planAgain(RoutingContext ctx, byte[] raw) {
    String[] ignored = {null};
    Optional<GithubPayloads.PlanAsked> asked = parseAsked(() -> GithubPayloads.planAsked(json(raw),
        reason -> ignored[0] = reason));
    if (asked.isEmpty()) {
      Replies.json(ctx, 200, Map.of("ignored", ignored[0]));
      return;
    }
    List<String> keys = keys(TriggerKind.GITHUB, ctx.request().getHeader("X-GitHub-Delivery"), raw);
    pulls.fetch(asked.get().repository(), asked.get().number())
        .onSuccess(pull -> intake(ctx, parse(() -> GithubPayloads.pullRequestAgain(pull, asked.get().login())), keys,
            ctx.request().getHeader("X-GitHub-Delivery")))
        .onFailure(e -> Replies.error(ctx, 502, "could not plan again: " + e.getMessage()));
  }

  private static Optional<GithubPayloads.PlanAsked> parseAsked(
      java.util.function.Supplier<Optional<GithubPayloads.PlanAsked>> parser) {
    try {
      return parser.get();
    } catch (HookPayloadException e) {
      throw new HttpProblem(400, e.getMessage());
    }
  }

  // ---- GitLab ----

  /** GitLab's token is a header: checked before a byte of the body is read. */
  private void gitlabToken(RoutingContext ctx) {
    if (settings.gitlabToken().isEmpty()) {
      Replies.error(ctx, 404, "GitLab webhooks are off on this gateway (GARDEN_GITLAB_WEBHOOK_TOKEN is not set)");
      return;
    }
    Signatures.Verdict verdict = Signatures.gitlab(utf8(settings.gitlabToken().get()),
        ctx.request().getHeader("X-Gitlab-Token"));
    if (verdict != Signatures.Verdict.VALID) {
      Replies.error(ctx, 401, verdict.problem() + " (X-Gitlab-Token)");
      return;
    }
    ctx.next();
  }

  private void gitlab(RoutingContext ctx) {
    byte[] raw = BoundedBody.of(ctx);
    String event = String.valueOf(ctx.request().getHeader("X-Gitlab-Event"));
    Optional<CodeChange> change = switch (event) {
      case "Push Hook" -> parse(() -> GitlabPayloads.push(json(raw)));
      case "Merge Request Hook" -> parse(() -> GitlabPayloads.mergeRequest(json(raw)));
      default -> {
        Replies.json(ctx, 200, Map.of("ignored", "GitLab event '" + event + "' starts nothing here"));
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
      Replies.json(ctx, 200, Map.of("ignored", "nothing to check (a deleted branch, or a request action that changes"
          + " no code)"));
      return;
    }
    HookPolicy.Decision decision = settings.policy().decide(change.get(), safe(delivery));
    if (decision instanceof HookPolicy.Decision.Ignore ignore) {
      Replies.json(ctx, 200, Map.of("ignored", ignore.reason()));
      return;
    }
    PipelineRequested request = covering(((HookPolicy.Decision.Run) decision).request());
    try {
      sources.check(request.source());
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(403, e.getMessage());
    }
    if (ledger.tooOld(change.get().sentAt())) {
      throw new HttpProblem(409, "this delivery describes a change from " + change.get().sentAt() + ", older than"
          + " the de-duplication window (" + ledger.window().toMinutes() + " minutes, GARDEN_DEDUP_WINDOW_MINUTES):"
          + " it is not run again; start a pipeline for that commit through the API if it is wanted");
    }
    String id = PipelineIds.next(clock);
    Principal sender = intake.policy().forgeSender(change.get().kind().wire(), change.get().author() == null
        ? "unknown" : safe(change.get().author()));
    String correlation = delivery == null ? id : safe(delivery);
    Future<String> sent = intake.submit(sender, id, request, correlation,
            ctx.request().getHeader(Tracing.HEADER))
        .compose(queued -> intake.received(request.trigger().kind(), keys, sender, id, correlation).map(queued));
    keys.forEach(k -> inFlight.put(k, sent));
    sent.onComplete(r -> keys.forEach(inFlight::remove))
        .onSuccess(v -> {
          ledger.record(keys, id, clock.instant());
          Replies.json(ctx, 202, Map.of("id", id, "state", "queued", "url", "/api/v1/pipelines/" + id));
          supersede(request, id, sender, correlation);
        })
        .onFailure(ctx::fail);
  }

  /** The run this one will supersede: its changes become this run's too, so none goes unchecked. */
  private PipelineRequested covering(PipelineRequested request) {
    if (!settings.supersede()) {
      return request;
    }
    return ledger.wouldReplace(request.trigger().concurrencyKey(), request.trigger().sentAt())
        .filter(older -> !views.run(older).map(r -> r.isFinished()).orElse(false))
        .flatMap(older -> views.run(older).flatMap(r -> r.request())
            .or(() -> views.queued(older).map(PipelineViews.Queued::request)))
        .map(older -> Supersession.covering(older, request))
        .orElse(request);
  }

  /**
   * A newer push to a ref cancels the older pipeline still running for it (a publish in it finishes first); an
   * older change arriving late cancels nothing.
   */
  private void supersede(PipelineRequested request, String id, Principal sender, String correlation) {
    Optional<String> older = ledger.newest(request.trigger().concurrencyKey(), id, request.trigger().sentAt());
    if (!settings.supersede() || older.isEmpty() || views.run(older.get()).map(r -> r.isFinished()).orElse(false)) {
      return;
    }
    Optional<PipelineRequested> olderRequest = views.run(older.get()).flatMap(r -> r.request())
        .or(() -> views.queued(older.get()).map(PipelineViews.Queued::request));
    intake.cancel(sender, older.get(), olderRequest, correlation, "superseded by " + id)
        .onFailure(e -> LOG.warn("could not cancel pipeline {} superseded by {}: {}", older.get(), id,
            e.getMessage()));
  }

  private static void duplicate(RoutingContext ctx, String id) {
    Replies.json(ctx, 200, Map.of("id", id, "duplicate", true, "url", "/api/v1/pipelines/" + id));
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
      throw new HttpProblem(400, e.getMessage());
    }
  }

  private JsonNode json(byte[] raw) {
    try {
      JsonNode node = io.garden.common.format.Json.requests().readTree(raw);
      if (node == null || !node.isObject()) {
        throw new HttpProblem(400, "the webhook body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new HttpProblem(400, "the webhook body is not valid JSON");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String safe(String value) {
    if (value == null) {
      return null;
    }
    return Replies.RECORDABLE_NAME.matcher(value).matches() ? value : ContentHash.sha256(utf8(value)).substring(0, 16);
  }
}
