package io.garden.gateway.http;

import io.garden.common.config.NumberSetting;

import java.time.Duration;
import java.util.Map;

/**
 * Bounds on what any caller, signed or not, can make the gateway hold. Without them a thousand half-sent bodies
 * held a gigabyte before a single signature was checked.
 *
 * @param idle           {@code GARDEN_HTTP_IDLE_SECONDS} (30): a connection silent this long is closed
 * @param bodyTime       {@code GARDEN_HTTP_BODY_SECONDS} (20): a body must arrive whole within this time, however
 *                       slowly it drips (which the idle timeout alone would allow forever)
 * @param maxConnections {@code GARDEN_MAX_CONNECTIONS} (1000): connections beyond this are answered 503 (never
 *                       dispatched) and closed ({@link ConnectionGate})
 * @param reservedConnections {@code GARDEN_RESERVED_CONNECTIONS} (a tenth of the maximum): kept for connections whose
 *                       requests authenticated; connections without a credential never take them
 * @param perCredentialConnections {@code GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL} (64): connections one credential
 *                       may hold; beyond, its request gets 429
 * @param unverifiedBytes {@code GARDEN_UNVERIFIED_BODY_BYTES} (32 MiB): body bytes held, over all connections, for
 *                       requests whose signature is not checked yet; beyond it a request gets 503 at once
 * @param bodyLimit      {@code GARDEN_MAX_BODY_BYTES} (1 MiB): largest body of one request
 * @param authenticatedBytes {@code GARDEN_BODY_BUDGET_BYTES} (64 MiB): body bytes held, over all connections, for
 *                       authenticated requests (an API credential's); beyond it a request gets 503 at once
 * @param perCredentialBytes {@code GARDEN_BODY_BYTES_PER_CREDENTIAL} (4 MiB): of those, held for one credential;
 *                       beyond it that credential's next body gets 429 until one of its own is done
 * @param perPrincipalPipelines {@code GARDEN_MAX_PIPELINES_PER_PRINCIPAL} (16): pipelines one principal (a credential,
 *                       a webhook sender, a chat user) may have queued or running at once; beyond, 429 + Retry-After
 */
public record HttpLimits(Duration idle, Duration bodyTime, int maxConnections, int reservedConnections,
                         int perCredentialConnections, long unverifiedBytes, long bodyLimit,
                         long authenticatedBytes, long perCredentialBytes, int perPrincipalPipelines) {

  public static HttpLimits fromEnv(Map<String, String> env) {
    int maxConnections = NumberSetting.atLeast(env, "GARDEN_MAX_CONNECTIONS", 1000, 1);
    return new HttpLimits(
        Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_HTTP_IDLE_SECONDS", 30, 1)),
        Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_HTTP_BODY_SECONDS", 20, 1)),
        maxConnections,
        NumberSetting.atLeast(env, "GARDEN_RESERVED_CONNECTIONS", Math.max(1, maxConnections / 10), 0),
        NumberSetting.atLeast(env, "GARDEN_MAX_CONNECTIONS_PER_CREDENTIAL", 64, 1),
        NumberSetting.atLeast(env, "GARDEN_UNVERIFIED_BODY_BYTES", 32 << 20, 1024),
        NumberSetting.atLeast(env, "GARDEN_MAX_BODY_BYTES", 1 << 20, 1024),
        NumberSetting.atLeast(env, "GARDEN_BODY_BUDGET_BYTES", 64 << 20, 1024),
        NumberSetting.atLeast(env, "GARDEN_BODY_BYTES_PER_CREDENTIAL", 4 << 20, 1024),
        NumberSetting.atLeast(env, "GARDEN_MAX_PIPELINES_PER_PRINCIPAL", 16, 1));
  }

  /** The budget of bodies not authenticated yet these limits describe (one per server, shared by every sender). */
  public Shares unverifiedBodies() {
    return new Shares(unverifiedBytes, unverifiedBytes);
  }

  /** The shared budget of authenticated bodies these limits describe (one per server). */
  public Shares authenticatedBodies() {
    return new Shares(authenticatedBytes, perCredentialBytes);
  }
}
