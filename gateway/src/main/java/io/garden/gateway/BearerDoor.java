package io.garden.gateway;

import io.garden.common.event.AccessAction;
import io.garden.gateway.http.ConnectionGate;
import io.garden.gateway.http.Replies;
import io.garden.gateway.intake.Ask;
import io.garden.gateway.intake.Authenticated;
import io.garden.gateway.intake.CredentialKeeper;
import io.garden.gateway.intake.Intake;
import io.garden.gateway.intake.Principal;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * How an API request is let in: the bearer credential names the principal before the body is even read (a header a
 * caller sets never does), the connection counts against that credential's share, reads are recorded only when
 * refused, and any 4xx the principal then gets that the intake did not record itself is recorded as a refused
 * {@code access.decided}: the audit log holds every refusal, not only the policy's. Unauthenticated 401s are counted
 * in the metrics instead: recording them would let anyone fill the audit log.
 */
final class BearerDoor {

  /** Marks a request whose refusal the intake recorded itself. */
  static final String RECORDED = "garden.refusalRecorded";
  private static final Logger LOG = LoggerFactory.getLogger(BearerDoor.class);

  private final CredentialKeeper credentials;
  private final ConnectionGate gate;
  private final Intake intake;

  BearerDoor(CredentialKeeper credentials, ConnectionGate gate, Intake intake) {
    this.credentials = credentials;
    this.gate = gate;
    this.intake = intake;
  }

  void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String given = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()).trim()
        : null;
    Principal principal = credentials.current().authenticate(given).orElse(null);
    if (principal == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"garden\"");
      Replies.error(ctx, 401, header == null ? "missing bearer token (Authorization: Bearer $GARDEN_API_TOKEN)"
          : "unknown or revoked bearer token");
      return;
    }
    Authenticated.set(ctx, principal, given);
    ctx.addEndHandler(v -> recordRefusal(ctx, principal));
    if (!gate.trust(ctx.request().connection(), principal.actor())) {
      ctx.response().putHeader("Retry-After", "5").putHeader("Connection", "close");
      Replies.error(ctx, 429, principal.actor() + " holds " + gate.perCredential() + " connections already"
          + " (GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL): reuse one, or close some");
      return;
    }
    if (ctx.request().method() == HttpMethod.GET) {
      intake.authorise(principal, Ask.read(ctx.request().path()), null, null)
          .onSuccess(v -> ctx.next()).onFailure(ctx::fail);
      return;
    }
    ctx.next();
  }

  private void recordRefusal(RoutingContext ctx, Principal principal) {
    int status = ctx.response().getStatusCode();
    if (status < 400 || status > 499 || Boolean.TRUE.equals(ctx.get(RECORDED))) {
      return;
    }
    HttpMethod method = ctx.request().method();
    AccessAction action = method == HttpMethod.GET ? AccessAction.READ
        : method == HttpMethod.DELETE && ctx.request().path().startsWith("/api/v1/pipelines/") ? AccessAction.CANCEL
        : AccessAction.RUN;
    String reason = status + ": " + Objects.requireNonNullElse(ctx.get(Replies.ERROR), "refused");
    intake.refused(principal, new Ask(action, null, method.name() + " " + ctx.request().path()), reason)
        .onFailure(e -> LOG.warn("gateway: a refusal of {} was not recorded: {}", principal.actor(),
            e.getMessage()));
  }
}
