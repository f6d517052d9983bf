package io.garden.gateway.api;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.model.Stage;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.sources.SourcePolicy;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.views.RegistryReader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/registry/{stage}} and {@code .../lock}: what a stage's registry holds, who holds its lock;
 * {@code DELETE .../lock} removes a stuck lock, as a pipeline like any other (authorised as an unlock, recorded).
 */
public final class RegistryRoutes {

  private final RegistryReader registries;
  private final Intake intake;
  private final SourcePolicy sources;
  private final Path defaultRoot;
  private final Clock clock;

  /** @param defaultRoot the repository the removal runs in: the gateway's first allowed folder */
  public RegistryRoutes(RegistryReader registries, Intake intake, SourcePolicy sources, Path defaultRoot,
                        Clock clock) {
    this.registries = registries;
    this.intake = intake;
    this.sources = sources;
    this.defaultRoot = defaultRoot;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/registry/:stage").handler(ctx -> registries.published(stage(ctx))
        .onSuccess(json -> Replies.json(ctx, 200, json)).onFailure(ctx::fail));
    router.get("/api/v1/registry/:stage/lock").handler(ctx -> registries.lock(stage(ctx))
        .onSuccess(json -> Replies.json(ctx, 200, json)).onFailure(ctx::fail));
    router.delete("/api/v1/registry/:stage/lock").handler(this::unlock);
  }

  private void unlock(RoutingContext ctx) {
    Stage stage = stage(ctx);
    SourceRef source;
    try {
      source = sources.check(SourceRef.local(defaultRoot.toString()));
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(409, "this gateway has no repository to run the removal in: set GARDEN_ALLOWED_PATHS");
    }
    PipelineRequested request = new PipelineRequested(source, List.of(StepName.REMOVE_PUBLISH_LOCK), Targets.all(),
        stage.id(), PipelineOptions.defaults(), null, null);
    intake.submit(Authenticated.principal(ctx), PipelineIds.next(clock), request, null,
            ctx.request().getHeader(io.garden.common.tracing.Tracing.HEADER))
        .onSuccess(id -> Replies.json(ctx, 202, Map.of("id", id, "state", "queued", "url", "/api/v1/pipelines/" + id)))
        .onFailure(ctx::fail);
  }

  private static Stage stage(RoutingContext ctx) {
    try {
      return Stage.parse(ctx.pathParam("stage"));
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(404, e.getMessage());
    }
  }
}
