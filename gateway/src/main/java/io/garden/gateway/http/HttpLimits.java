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
 * @param maxConnections {@code GARDEN_MAX_CONNECTIONS} (1000): connections beyond this are closed at once
 * @param unverifiedBytes {@code GARDEN_UNVERIFIED_BODY_BYTES} (32 MiB): body bytes held, over all connections, for
 *                       requests whose signature is not checked yet; beyond it a request gets 503 at once
 * @param bodyLimit      {@code GARDEN_MAX_BODY_BYTES} (1 MiB): largest body of one request
 */
public record HttpLimits(Duration idle, Duration bodyTime, int maxConnections, long unverifiedBytes, long bodyLimit) {

  public static HttpLimits fromEnv(Map<String, String> env) {
    return new HttpLimits(
        Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_HTTP_IDLE_SECONDS", 30, 1)),
        Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_HTTP_BODY_SECONDS", 20, 1)),
        NumberSetting.atLeast(env, "GARDEN_MAX_CONNECTIONS", 1000, 1),
        NumberSetting.atLeast(env, "GARDEN_UNVERIFIED_BODY_BYTES", 32 << 20, 1024),
        NumberSetting.atLeast(env, "GARDEN_MAX_BODY_BYTES", 1 << 20, 1024));
  }
}
