package io.garden.gateway.views;

import io.garden.common.config.NumberSetting;

import java.time.Duration;
import java.util.Map;

/**
 * How much of the past the gateway holds: what a restart replays, and what stays in memory.
 *
 * @param restorePoint {@code GARDEN_RESTORE_POINT_SECONDS} (10): how often the coordinator and the views move their
 *                     restore point up; a restart replays at most about this much more than what is open
 * @param recent       {@code GARDEN_RECENT_PIPELINES} (2000): finished pipelines kept in memory and replayed on a
 *                     restart, for lists and the page; any other one is read from the archive by id
 */
public record HistorySettings(Duration restorePoint, int recent) {

  public static HistorySettings fromEnv(Map<String, String> env) {
    return new HistorySettings(Duration.ofSeconds(NumberSetting.atLeast(env, "GARDEN_RESTORE_POINT_SECONDS", 10, 1)),
        NumberSetting.atLeast(env, "GARDEN_RECENT_PIPELINES", 2000, 1));
  }
}
