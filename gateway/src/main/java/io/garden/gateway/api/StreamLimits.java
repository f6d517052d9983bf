package io.garden.gateway.api;

import io.garden.common.config.NumberSetting;

import java.util.Map;

/**
 * How many event streams one gateway serves: each following client costs a bounded queue, each client reading
 * history a Kafka reader of its own. Beyond these a client gets 503 with Retry-After (garden tail retries).
 *
 * @param maxStreams    {@code GARDEN_MAX_STREAMS} (512): event streams open at once
 * @param maxCatchingUp {@code GARDEN_MAX_CATCHUP_STREAMS} (32): of those, reading from a past position
 * @param stall         {@code GARDEN_STREAM_STALL_SECONDS} (60): a client reading history that reads nothing this
 *                      long is cut off (with its resume position), which frees its reader
 * @param perCredential {@code GARDEN_MAX_STREAMS_PER_CREDENTIAL} (16): of the streams, held by one credential; beyond
 *                      it gets 429 with Retry-After (the page, a tail and a remote run need a handful)
 * @param perCredentialCatchingUp {@code GARDEN_MAX_CATCHUP_STREAMS_PER_CREDENTIAL} (4): of those reading history
 */
public record StreamLimits(int maxStreams, int maxCatchingUp, java.time.Duration stall, int perCredential,
                           int perCredentialCatchingUp) {

  public static StreamLimits fromEnv(Map<String, String> env) {
    return new StreamLimits(NumberSetting.atLeast(env, "GARDEN_MAX_STREAMS", 512, 1),
        NumberSetting.atLeast(env, "GARDEN_MAX_CATCHUP_STREAMS", 32, 1),
        java.time.Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_STREAM_STALL_SECONDS", 60, 1)),
        NumberSetting.atLeast(env, "GARDEN_MAX_STREAMS_PER_CREDENTIAL", 16, 1),
        NumberSetting.atLeast(env, "GARDEN_MAX_CATCHUP_STREAMS_PER_CREDENTIAL", 4, 1));
  }
}
