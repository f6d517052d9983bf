package io.garden.gateway.api;

import io.garden.common.event.AccessAction;
import io.garden.common.model.Stage;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.AccessPolicy;
import io.garden.gateway.intake.Ask;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.intake.Role;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/me}: who the credential is, and for each action whether it may: answered by the same policy that
 * decides the requests, so the page shows a button exactly when the gateway would let it be used.
 */
public final class MeRoute {

  private final AccessPolicy policy;

  public MeRoute(AccessPolicy policy) {
    this.policy = policy;
  }

  public void mount(Router router) {
    router.get("/api/v1/me").handler(this::me);
  }

  /** Each action a page or CLI may offer, and whether the policy allows it to this principal. */
  public Map<String, Boolean> may(Principal who) {
    Map<String, Boolean> may = new LinkedHashMap<>();
    may.put("run", allowed(who, new Ask(AccessAction.RUN, null, "*")));
    may.put("cancel", allowed(who, Ask.cancel("*")));
    for (Stage stage : Stage.values()) {
      may.put("publish:" + stage.id(), allowed(who, new Ask(AccessAction.PUBLISH, stage, "*")));
      may.put("cancel:" + stage.id(), allowed(who, new Ask(AccessAction.CANCEL, stage, "*")));
      may.put("approve:" + stage.id(), allowed(who, Ask.approve("*", stage)));
    }
    may.put("unpublish", allowed(who, new Ask(AccessAction.UNPUBLISH, Stage.DEV, "*")));
    may.put("restore", allowed(who, new Ask(AccessAction.RESTORE, Stage.DEV, "*")));
    may.put("unlock", allowed(who, new Ask(AccessAction.UNLOCK, Stage.DEV, null)));
    may.put("force-unlock", allowed(who, new Ask(AccessAction.FORCE_UNLOCK, Stage.DEV, null)));
    may.put("promote:stage", allowed(who, new Ask(AccessAction.PROMOTE, Stage.STAGE, "*")));
    may.put("promote:prod", allowed(who, new Ask(AccessAction.PROMOTE, Stage.PROD, "*")));
    may.put("force", allowed(who, new Ask(AccessAction.FORCE, Stage.PROD, "*")));
    may.put("admin", allowed(who, Ask.admin("*")));
    return may;
  }

  private boolean allowed(Principal who, Ask ask) {
    return policy.decide(who, ask).allowed();
  }

  private void me(RoutingContext ctx) {
    Principal who = Authenticated.principal(ctx);
    Map<String, Boolean> may = may(who);
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("actor", who.actor());
    me.put("roles", who.roles().stream().map(Role::wire).sorted().toList());
    me.put("may", may);
    // The page's older names for two of them.
    me.put("mayRun", may.get("run"));
    me.put("mayUnlock", may.get("unlock"));
    Replies.json(ctx, 200, me);
  }
}
