package io.garden.gateway.chatops;

import io.garden.common.store.ContentHash;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.DeliveryLedger;
import io.garden.gateway.intake.Signatures;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What every request from Slack goes through first, a slash command or a button's click: its signature over
 * {@code v0:TIMESTAMP:BODY} and its timestamp checked in constant time, then a replay refused — the signature is the
 * request's key, recorded here and (by the caller, on the audit stream) for every other gateway and the next start.
 */
final class SlackSigned {

  private final ChatSettings settings;
  private final DeliveryLedger signatures;
  private final Clock clock;

  SlackSigned(ChatSettings settings, DeliveryLedger signatures, Clock clock) {
    this.settings = settings;
    this.signatures = signatures;
    this.clock = clock;
  }

  /** @return the request's replay keys; empty when it was refused, and the 401 already sent */
  Optional<List<String>> check(RoutingContext ctx, byte[] raw) {
    String signature = ctx.request().getHeader("X-Slack-Signature");
    Signatures.Verdict verdict = Signatures.slack(settings.slackSecret().orElseThrow()
            .getBytes(StandardCharsets.UTF_8), ctx.request().getHeader("X-Slack-Request-Timestamp"), raw, signature,
        clock.instant());
    if (verdict != Signatures.Verdict.VALID) {
      Replies.error(ctx, 401, verdict.problem() + " (X-Slack-Signature, X-Slack-Request-Timestamp)");
      return Optional.empty();
    }
    List<String> keys = List.of("slack:signature:" + ContentHash.sha256(signature.trim()
        .getBytes(StandardCharsets.UTF_8)));
    if (signatures.find(keys).isPresent()) {
      Replies.error(ctx, 401, "this request was already received (a replay)");
      return Optional.empty();
    }
    signatures.record(keys, "chat", clock.instant());
    return Optional.of(keys);
  }
}
