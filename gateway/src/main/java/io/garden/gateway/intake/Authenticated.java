package io.garden.gateway.intake;

import io.vertx.ext.web.RoutingContext;

/** The principal the server authenticated for this request, as the API's routes find it. */
public final class Authenticated {

  private static final String KEY = "garden.principal";

  private Authenticated() {
  }

  public static void set(RoutingContext ctx, Principal principal) {
    ctx.put(KEY, principal);
  }

  public static Principal principal(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("a route under /api ran without an authenticated principal");
    }
    return principal;
  }
}
