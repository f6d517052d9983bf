package io.garden.gateway.api;

import io.garden.common.model.Stage;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.views.RegistryReader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/registry/{stage}} and {@code .../lock}: what a stage's registry holds, who holds its lock. */
public final class RegistryRoutes {

  private final RegistryReader registries;

  public RegistryRoutes(RegistryReader registries) {
    this.registries = registries;
  }

  public void mount(Router router) {
    router.get("/api/v1/registry/:stage").handler(ctx -> registries.published(stage(ctx))
        .onSuccess(json -> Replies.json(ctx, 200, json)).onFailure(ctx::fail));
    router.get("/api/v1/registry/:stage/lock").handler(ctx -> registries.lock(stage(ctx))
        .onSuccess(json -> Replies.json(ctx, 200, json)).onFailure(ctx::fail));
  }

  private static Stage stage(RoutingContext ctx) {
    try {
      return Stage.parse(ctx.pathParam("stage"));
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(404, e.getMessage());
    }
  }
}
