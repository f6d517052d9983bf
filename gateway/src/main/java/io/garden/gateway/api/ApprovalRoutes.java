package io.garden.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.ApprovalDecided;
import io.garden.common.format.Json;
import io.garden.gateway.coordinator.AwaitingApproval;
import io.garden.gateway.coordinator.PipelineRun;
import io.garden.gateway.http.BoundedBody;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.http.Replies;
import io.garden.gateway.http.Shares;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.views.PipelineJson;
import io.garden.gateway.views.PipelineViews;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/pipelines/:id/approve} and {@code /reject}: a person other than the requester, with the
 * {@code approve:STAGE} role, decides on the plan a write to a protected stage waits with. The body may name that
 * plan ({@code "plan": "sha256:..."}, what the person looked at: a different one waiting now is a 409), a
 * {@code reason} (required to reject), and {@code "emergency": true} — admin only, reason required, flagged in the
 * history — which lets the write run without the approvals it needs.
 */
public final class ApprovalRoutes {

  private static final Set<String> FIELDS = Set.of("plan", "reason", "emergency");
  private static final int MAX_REASON = 500;

  private final Vertx vertx;
  private final Intake intake;
  private final PipelineViews views;
  private final HttpLimits limits;
  private final Shares bodies;

  public ApprovalRoutes(Vertx vertx, Intake intake, PipelineViews views, HttpLimits limits, Shares bodies) {
    this.vertx = vertx;
    this.intake = intake;
    this.views = views;
    this.limits = limits;
    this.bodies = bodies;
  }

  public void mount(Router router) {
    for (String verb : new String[] {"approve", "reject"}) {
      router.post("/api/v1/pipelines/:id/" + verb).handler(BoundedBody.authenticated(vertx, limits, bodies,
          ctx -> Authenticated.principal(ctx).actor())).handler(ctx -> decide(ctx, verb.equals("approve")));
    }
  }

  /** What the body asks; every field optional. */
  private record Asked(String plan, String reason, boolean emergency) {
  }

  private void decide(RoutingContext ctx, boolean approve) {
    String id = ctx.pathParam("id");
    Principal who = Authenticated.principal(ctx);
    Asked asked = parse(BoundedBody.of(ctx));
    if (!approve && asked.reason() == null) {
      throw new HttpProblem(400, "say why it is rejected: {\"reason\": \"...\"} (garden reject ID --reason ...)");
    }
    if (asked.emergency() && (!approve || asked.reason() == null)) {
      throw new HttpProblem(400, "the emergency path approves only, and needs a reason: {\"emergency\": true,"
          + " \"reason\": \"...\"}");
    }
    views.findNow(id).compose(found -> {
          PipelineRun run = found.orElseThrow(() -> new HttpProblem(404, "no pipeline " + id));
          AwaitingApproval waiting = run.awaitingApproval().orElseThrow(() -> new HttpProblem(409, "pipeline " + id
              + " is not waiting for approval: it is " + PipelineJson.state(run)));
          String plan = waiting.request().plan();
          if (asked.plan() != null && !asked.plan().equals(plan)) {
            throw new HttpProblem(409, "pipeline " + id + " now waits with another plan (" + plan + ", not "
                + asked.plan() + "): look at it again (garden status " + id + ")");
          }
          ApprovalDecided decision = new ApprovalDecided(waiting.request().stage(), plan, approve, who.actor(),
              waiting.request().requester(), asked.reason(), asked.emergency(), who.door().wire());
          return intake.decideApproval(who, id, decision, null).map(v -> answer(id, waiting, decision));
        })
        .onSuccess(body -> Replies.json(ctx, 202, body))
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> answer(String id, AwaitingApproval waiting, ApprovalDecided decision) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("decision", decision.approved() ? (decision.emergency() ? "approved (emergency)" : "approved")
        : "rejected");
    body.put("plan", decision.plan());
    body.put("approvals", waiting.approvals().size() + (decision.approved() ? 1 : 0));
    body.put("required", waiting.request().required());
    return body;
  }

  private static Asked parse(byte[] body) {
    if (body == null || body.length == 0) {
      return new Asked(null, null, false);
    }
    JsonNode json;
    try {
      json = Json.requests().readTree(body);
    } catch (IOException e) {
      throw new HttpProblem(400, "the body is not JSON: send {\"reason\": \"...\"} or nothing");
    }
    if (json == null || json.isNull()) {
      return new Asked(null, null, false);
    }
    if (!json.isObject()) {
      throw new HttpProblem(400, "the body must be a JSON object: {\"reason\": \"...\"}");
    }
    json.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw new HttpProblem(400, "unknown field '" + name + "': the body may have " + FIELDS);
      }
    });
    String plan = text(json, "plan", 100);
    String reason = text(json, "reason", MAX_REASON);
    JsonNode emergency = json.get("emergency");
    if (emergency != null && !emergency.isBoolean()) {
      throw new HttpProblem(400, "'emergency' must be true or false");
    }
    return new Asked(plan, reason, emergency != null && emergency.asBoolean());
  }

  private static String text(JsonNode json, String field, int max) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new HttpProblem(400, "'" + field + "' must be a non-empty string");
    }
    if (value.asText().length() > max) {
      throw new HttpProblem(400, "'" + field + "' is longer than " + max + " characters");
    }
    return value.asText().strip();
  }
}
