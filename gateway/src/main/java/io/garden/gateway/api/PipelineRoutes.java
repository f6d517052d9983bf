package io.garden.gateway.api;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.Artifact;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.gateway.coordinator.PipelineRun;
import io.garden.gateway.http.BoundedBody;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.http.Shares;
import io.garden.gateway.intake.AccessPolicy;
import io.garden.gateway.intake.Ask;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.views.PipelineJson;
import io.garden.gateway.views.PipelineViews;
import io.garden.common.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/pipelines}: submit (parse → authorise and record → queue → 202), list, show, cancel, and download
 * an artifact. The caller is the principal the server authenticated; no header names anyone.
 */
public final class PipelineRoutes {

  private final Vertx vertx;
  private final PipelineRequests requests;
  private final Intake intake;
  private final PipelineViews views;
  private final GardenConfig config;
  private final HttpLimits limits;
  private final Path defaultRoot;
  private final Shares bodies;

  /** @param bodies the server's budget of authenticated request bodies, a share per credential */
  public PipelineRoutes(Vertx vertx, PipelineRequests requests, Intake intake, PipelineViews views,
                        GardenConfig config, HttpLimits limits, Shares bodies, Path defaultRoot) {
    this.bodies = bodies;
    this.vertx = vertx;
    this.requests = requests;
    this.intake = intake;
    this.views = views;
    this.config = config;
    this.limits = limits;
    this.defaultRoot = defaultRoot;
  }

  public void mount(Router router) {
    router.post("/api/v1/pipelines").handler(BoundedBody.authenticated(vertx, limits, bodies,
        ctx -> Authenticated.principal(ctx).actor())).handler(this::submit);
    router.get("/api/v1/pipelines").handler(this::list);
    router.get("/api/v1/pipelines/:id").handler(this::show);
    router.delete("/api/v1/pipelines/:id").handler(this::cancel);
    router.get("/api/v1/pipelines/:id/artifacts/:name").handler(this::artifact);
  }

  private void submit(RoutingContext ctx) {
    byte[] body = BoundedBody.of(ctx);
    Principal who = Authenticated.principal(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    vertx.executeBlocking(() -> requests.check(body), false)
        .compose(accepted -> key == null
            ? intake.submit(who, accepted.id(), accepted.request(), correlation(ctx),
                ctx.request().getHeader(Tracing.HEADER))
                .map(id -> new Intake.Submission(id, false))
            : intake.submitOnce(who, keyed(who, Authenticated.secret(ctx), key, accepted), accepted.request(),
                correlation(ctx),
                ctx.request().getHeader(Tracing.HEADER)))
        .compose(done -> !done.replayed() ? Future.succeededFuture(Map.entry(done, "queued"))
            : views.find(done.id()).map(run -> Map.entry(done, run.map(PipelineJson::state).orElse("queued"))))
        .onSuccess(answer -> {
          Intake.Submission done = answer.getKey();
          if (done.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
          }
          Replies.json(ctx, done.replayed() ? 200 : 202, Map.of("id", done.id(), "state", answer.getValue(),
              "url", "/api/v1/pipelines/" + done.id()));
        })
        .onFailure(ctx::fail);
  }

  /** The id a key stands for; a request that also names its own pipelineId is ambiguous. */
  private static String keyed(Principal who, byte[] secret, String key, PipelineRequests.Accepted accepted) {
    if (accepted.chosen()) {
      throw new HttpProblem(400, "give either a pipelineId or an Idempotency-Key, not both");
    }
    try {
      return PipelineIds.forKey(who.actor(), key, secret);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, e.getMessage());
    }
  }

  private void list(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", 50);
    String state = ctx.queryParams().get("state");
    if (state != null && !PipelineJson.STATES.contains(state)) {
      throw new HttpProblem(400, "state must be one of " + String.join(", ", PipelineJson.STATES));
    }
    List<Map<String, Object>> items = new ArrayList<>();
    if (state == null || state.equals("queued")) {
      views.queued().forEach(q -> items.add(PipelineJson.of(q)));
    }
    views.recent().stream().filter(r -> state == null || PipelineJson.state(r).equals(state))
        .forEach(r -> items.add(PipelineJson.summary(r)));
    Replies.json(ctx, 200, Map.of("pipelines", items.stream().limit(limit).toList()));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Principal who = Authenticated.principal(ctx);
    Optional<PipelineViews.Queued> queued = views.queued(id);
    if (queued.isPresent()) {
      Replies.json(ctx, 200, withMay(PipelineJson.of(queued.get()), who, id, Optional.of(queued.get().request())));
      return;
    }
    views.findNow(id)
        .map(found -> found.map(run -> withMay(PipelineJson.of(run), who, id, run.request()))
            .or(() -> views.acceptedElsewhere(id).map(decided -> withMay(PipelineJson.acceptedElsewhere(id,
                decided), who, id, Optional.empty())))
            .orElseThrow(() -> unknown(id)))
        .onSuccess(json -> Replies.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * What the caller may do with this pipeline, answered by the policy that will decide it: the page shows "Cancel"
   * and "Run again" exactly when they would be allowed.
   */
  private Map<String, Object> withMay(Map<String, Object> json, Principal who, String id,
                                      Optional<PipelineRequested> request) {
    AccessPolicy policy = intake.policy();
    Map<String, Boolean> may = new java.util.LinkedHashMap<>();
    may.put("cancel", policy.decide(who, request.map(r -> Ask.cancel(id, r)).orElseGet(() -> Ask.cancel(id)))
        .allowed());
    may.put("rerun", request.map(r -> policy.decide(who, Ask.of(r)).allowed()).orElse(false));
    // Approving: the role for the stage, and never one's own request (the gateway refuses it too).
    may.put("approve", request.map(r -> r.stage() != null && policy.decide(who, Ask.approve(id,
        io.garden.common.model.Stage.parse(r.stage()))).allowed()).orElse(false)
        && !who.actor().equals(json.get("actor")));
    json.put("may", may);
    return json;
  }

  private void cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<PipelineViews.Queued> queued = views.queued(id);
    Future<Optional<PipelineRun>> found = queued.isPresent() ? Future.succeededFuture(Optional.empty())
        : views.findNow(id).map(run -> Optional.of(run.orElseThrow(() -> views.acceptedElsewhere(id).isPresent()
            ? notBegun(id) : unknown(id))));
    Principal who = Authenticated.principal(ctx);
    found.compose(run -> {
          if (run.isPresent() && run.get().isFinished()) {
            return Future.failedFuture(new HttpProblem(409, "pipeline " + id + " has already "
                + PipelineJson.state(run.get())));
          }
          Optional<PipelineRequested> request = queued.map(PipelineViews.Queued::request)
              .or(() -> run.flatMap(PipelineRun::request));
          return intake.cancel(who, id, request, correlation(ctx), "cancelled by " + who.actor());
        })
        .onSuccess(v -> Replies.json(ctx, 202, Map.of("id", id, "state", "cancelling")))
        .onFailure(ctx::fail);
  }

  private void artifact(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String name = ctx.pathParam("name");
    views.findNow(id)
        .compose(found -> {
          PipelineRun run = found.orElseThrow(() -> unknown(id));
          Artifact artifact = run.artifacts().stream().filter(a -> a.name().equals(name)).findFirst()
              .orElseThrow(() -> new HttpProblem(404, "pipeline " + id + " has no artifact " + name));
          Path root = run.started().map(PipelineStarted::source).filter(SourceRef::isLocal)
              .map(s -> Path.of(s.path())).orElse(defaultRoot);
          return vertx.executeBlocking(() -> {
            try (ObjectStore store = ObjectStores.open(config.artifactStore(), root)) {
              return store.get(artifact.key()).orElseThrow(() -> new HttpProblem(410, "artifact " + name
                  + " of pipeline " + id + " is no longer in " + store.describe())).body();
            }
          }, false);
        })
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/gzip")
            .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
            .end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  /**
   * Accepted by another gateway, not begun: what it asks for (and so who may stop it) is not known here yet, and a
   * guess could let a run-only credential stop a prod publish.
   */
  private static HttpProblem notBegun(String id) {
    return new HttpProblem(409, "pipeline " + id + " was accepted a moment ago and has not begun yet: cancel it in a"
        + " few seconds");
  }

  private static HttpProblem unknown(String id) {
    return new HttpProblem(404, "no pipeline " + id);
  }

  private static String correlation(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    return given != null && Replies.RECORDABLE_NAME.matcher(given).matches() ? given : null;
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
      throw new HttpProblem(400, name + " must be a whole number from 1 to 1000, was '" + value + "'");
    }
  }
}
