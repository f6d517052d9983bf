package io.garden.gateway.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.garden.common.format.Json;
import io.garden.gateway.intake.Signatures;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One notice shaped for one sink: where it is posted, with which headers, and the exact body bytes (the generic
 * webhook's signature is over them).
 *
 * @param sink    {@value #SLACK} or {@value #WEBHOOK}
 */
public record SinkRequest(String sink, URI url, Map<String, String> headers, byte[] body) {

  public static final String SLACK = "slack";
  public static final String WEBHOOK = "webhook";
  /** The header names of the generic webhook: GitHub's scheme under garden's name. */
  public static final String EVENT_HEADER = "X-Garden-Event";
  public static final String DELIVERY_HEADER = "X-Garden-Delivery";
  public static final String SIGNATURE_HEADER = "X-Garden-Signature-256";

  public SinkRequest {
    headers = Map.copyOf(headers);
  }

  /**
   * A Slack incoming-webhook message: the title in bold, then the details. Text from events (a failure's reason
   * quotes a repository's files) is escaped as Slack asks, so it can neither mention {@code @channel} nor make links.
   */
  public static SinkRequest slack(URI url, Notice notice) {
    StringBuilder text = new StringBuilder("*").append(escape(notice.title())).append('*');
    notice.details().forEach(line -> text.append('\n').append(escape(line)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", text.toString());
    if (APPROVAL_REQUESTED.equals(notice.kind()) && notice.pipeline() != null) {
      body.put("blocks", approvalBlocks(text.toString(), notice.pipeline() + " " + notice.facts().get("plan")));
    }
    return new SinkRequest(SLACK, url, Map.of("Content-Type", "application/json"), json(body));
  }

  /** The notice kind whose Slack message carries Approve and Reject buttons. */
  public static final String APPROVAL_REQUESTED = "approval-requested";
  /** The buttons' action ids; their value is {@code PIPELINE PLAN}: a click decides on the plan that was shown. */
  public static final String APPROVE_ACTION = "garden-approve";
  public static final String REJECT_ACTION = "garden-reject";

  /**
   * Block Kit: the text, then Approve / Reject. A click comes back to {@code POST /chatops/slack/interactions},
   * signed as slash commands are.
   */
  private static List<Object> approvalBlocks(String text, String value) {
    return List.of(
        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text)),
        Map.of("type", "actions", "elements", List.of(
            button("Approve", APPROVE_ACTION, value, "primary"),
            button("Reject", REJECT_ACTION, value, "danger"))));
  }

  private static Map<String, Object> button(String label, String action, String value, String style) {
    return Map.of("type", "button", "text", Map.of("type", "plain_text", "text", label), "action_id", action,
        "value", value, "style", style);
  }

  /**
   * A generic webhook: the notice as JSON, its event id as {@value #DELIVERY_HEADER} (a receiver de-duplicates on
   * it), and {@value #SIGNATURE_HEADER}: {@code sha256=} and the lower-case hex HMAC-SHA256 of the body under the
   * shared secret, as GitHub's {@code X-Hub-Signature-256}.
   */
  public static SinkRequest webhook(NotifySettings.Webhook webhook, Notice notice) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", notice.event());
    body.put("type", notice.type());
    body.put("notice", notice.kind());
    if (notice.pipeline() != null) {
      body.put("pipeline", notice.pipeline());
    }
    body.put("title", notice.title());
    body.put("details", notice.details());
    body.put("facts", new java.util.TreeMap<>(notice.facts()));
    byte[] bytes = json(body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put(EVENT_HEADER, notice.kind());
    headers.put(DELIVERY_HEADER, notice.event());
    headers.put(SIGNATURE_HEADER, signature(webhook.secret(), bytes));
    return new SinkRequest(WEBHOOK, webhook.url(), headers, bytes);
  }

  /** What {@value #SIGNATURE_HEADER} carries for {@code body} under {@code secret}. */
  public static String signature(String secret, byte[] body) {
    return "sha256=" + Signatures.hmacHex(secret.getBytes(StandardCharsets.UTF_8), body);
  }

  /** Every notice for the configured sinks. */
  public static List<SinkRequest> all(NotifySettings settings, Notice notice) {
    List<SinkRequest> requests = new java.util.ArrayList<>();
    settings.slack().ifPresent(url -> requests.add(slack(url, notice)));
    settings.webhook().ifPresent(webhook -> requests.add(webhook(webhook, notice)));
    return requests;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static byte[] json(Map<String, Object> body) {
    try {
      return Json.events().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notice could not be written as JSON", e);
    }
  }

  @Override
  public String toString() {
    // A Slack webhook's URL is its credential: never in a log line.
    return "SinkRequest[" + sink + ", " + body.length + " bytes]";
  }
}
