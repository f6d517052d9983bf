package io.garden.gateway.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.TriggerKind;
import io.garden.common.format.Json;
import io.garden.gateway.coordinator.AwaitingApproval;
import io.garden.gateway.http.BoundedBody;
import io.garden.gateway.http.HttpLimits;
import io.garden.gateway.http.Replies;
import io.garden.gateway.http.Shares;
import io.garden.gateway.intake.AccessRefused;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.notify.SinkRequest;
import io.garden.gateway.views.PipelineViews;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /chatops/slack/interactions}: a click on the Approve or Reject button of an approval request posted to
 * Slack. Checked as a slash command is — off (404) without the signing secret, the body bounded, the signature and
 * its timestamp verified before anything is read, a replay refused here, after a restart and on every gateway (the
 * signature is recorded on the audit stream) — then the Slack user is a principal like any other and the intake
 * decides: {@code approve:STAGE} from {@code GARDEN_APPROVERS_STAGE}, never the requester, on exactly the plan the
 * button was posted with. The answer is a 200 whose text says what happened (Slack shows errors as "failed").
 */
final class SlackApprovals {

  private static final Pattern USER = Pattern.compile("[A-Z0-9]{1,32}");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63}) (sha256:[0-9a-f]{64})");
  /** An interaction payload is a few kilobytes: nothing larger is read. */
  private static final long MAX_PAYLOAD_BYTES = 64 * 1024;

  private final ChatSettings settings;
  private final Intake intake;
  private final PipelineViews views;
  private final SlackSigned signed;
  private final io.vertx.core.Handler<RoutingContext> body;

  SlackApprovals(Vertx vertx, ChatSettings settings, Intake intake, PipelineViews views, SlackSigned signed,
                 HttpLimits limits, Shares unverifiedBodies) {
    this.settings = settings;
    this.intake = intake;
    this.views = views;
    this.signed = signed;
    this.body = BoundedBody.unverified(vertx, limits, unverifiedBodies, MAX_PAYLOAD_BYTES);
  }

  void mount(Router router) {
    router.post("/chatops/slack/interactions").handler(this::on).handler(body).handler(this::interaction);
  }

  private void on(RoutingContext ctx) {
    if (settings.slackSecret().isEmpty()) {
      Replies.error(ctx, 404, "chat-ops is off on this gateway (GARDEN_SLACK_SIGNING_SECRET is not set)");
      return;
    }
    ctx.next();
  }

  private void interaction(RoutingContext ctx) {
    byte[] raw = BoundedBody.of(ctx);
    java.util.Optional<List<String>> signed = this.signed.check(ctx, raw);
    if (signed.isEmpty()) {
      return;
    }
    List<String> keys = signed.get();
    Click click;
    try {
      click = Click.parse(raw);
    } catch (IllegalArgumentException e) {
      reply(ctx, e.getMessage() + "; nothing was done.");
      return;
    }
    Principal who = intake.policy().chatUser(click.user());
    intake.received(TriggerKind.SLACK, keys, who, click.pipeline(), null)
        .compose(v -> decide(who, click))
        .onSuccess(text -> reply(ctx, text))
        .onFailure(e -> reply(ctx, e instanceof AccessRefused refused ? "Not allowed: " + refused.getMessage()
            + ". Nothing was done." : "Nothing was done: " + e.getMessage()));
  }

  private Future<String> decide(Principal who, Click click) {
    return views.findNow(click.pipeline()).compose(found -> {
      AwaitingApproval waiting = found.flatMap(run -> run.awaitingApproval()).orElse(null);
      if (waiting == null) {
        return Future.succeededFuture("Pipeline " + click.pipeline() + " is not waiting for approval any more.");
      }
      if (!waiting.request().plan().equals(click.plan())) {
        return Future.succeededFuture("Pipeline " + click.pipeline() + " now waits with another plan than this"
            + " message shows; look at it again (garden status " + click.pipeline() + ").");
      }
      ApprovalDecided decision = new ApprovalDecided(waiting.request().stage(), click.plan(), click.approve(),
          who.actor(), waiting.request().requester(), click.approve() ? null : "rejected in Slack by "
          + who.actor(), false, who.door().wire());
      return intake.decideApproval(who, click.pipeline(), decision, null).map(v -> (click.approve() ? "Approved"
          : "Rejected") + " by <@" + click.user() + ">: " + waiting.request().step().wire() + " to "
          + waiting.request().stage() + " of pipeline " + click.pipeline() + ".");
    });
  }

  private static void reply(RoutingContext ctx, String text) {
    if (!ctx.response().ended()) {
      Replies.json(ctx, 200, Map.of("response_type", "ephemeral", "replace_original", false, "text", text));
    }
  }

  /** One button click, as Slack's {@code block_actions} payload says it. */
  record Click(String user, String pipeline, String plan, boolean approve) {

    static Click parse(byte[] raw) {
      String form = new String(raw, StandardCharsets.UTF_8);
      String payload = null;
      for (String pair : form.split("&")) {
        if (pair.startsWith("payload=")) {
          payload = URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
        }
      }
      if (payload == null) {
        throw new IllegalArgumentException("This interaction has no payload");
      }
      JsonNode json;
      try {
        json = Json.requests().readTree(payload);
      } catch (IOException e) {
        throw new IllegalArgumentException("This interaction's payload is not JSON");
      }
      String user = json.path("user").path("id").asText("");
      if (!USER.matcher(user).matches()) {
        throw new IllegalArgumentException("This interaction has no Slack user id");
      }
      JsonNode action = json.path("actions").path(0);
      String id = action.path("action_id").asText("");
      if (!id.equals(SinkRequest.APPROVE_ACTION) && !id.equals(SinkRequest.REJECT_ACTION)) {
        throw new IllegalArgumentException("This is not a garden button (" + (id.isEmpty() ? "no action" : "action "
            + id.substring(0, Math.min(id.length(), 40))) + ")");
      }
      var value = VALUE.matcher(action.path("value").asText(""));
      if (!value.matches()) {
        throw new IllegalArgumentException("This button does not name a pipeline and its plan");
      }
      return new Click(user, value.group(1), value.group(2), id.equals(SinkRequest.APPROVE_ACTION));
    }
  }
}
