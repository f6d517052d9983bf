package io.garden.gateway.coordinator;

import io.garden.common.platform.Platforms;

import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.sources.SourcePolicy;

import java.util.function.Supplier;

/**
 * What the coordinator needs besides Kafka.
 *
 * @param maxParallel  units of one step running at once per pipeline ({@code GARDEN_MAX_PARALLEL}, default 4)
 * @param sources      which sources a pipeline may read
 * @param engineState  null when a container engine answers, else why not ("no container engine at DOCKER_HOST=…")
 * @param checkouts    where git sources are checked out to plan them (the workers check out the same commit)
 * @param restorePoint how often its restore point on the audit stream moves up ({@code GARDEN_RESTORE_POINT_SECONDS})
 * @param platforms    what a push builds ({@code GARDEN_PLATFORMS}), one unit per extension and platform
 * @param builders     whether each of those platforms has a build worker, asked when a plan pushes
 * @param protection   which stages' writes wait for approval, and how long ({@code GARDEN_PROTECTED_STAGES})
 */
public record CoordinatorSettings(int maxParallel, SourcePolicy sources, Supplier<String> engineState,
                                  SourceCheckouts checkouts, java.time.Duration restorePoint, Platforms platforms,
                                  PlatformBuilders builders, ProtectedStages protection) {

  public CoordinatorSettings {
    if (maxParallel < 1) {
      throw new IllegalArgumentException("GARDEN_MAX_PARALLEL must be at least 1, was " + maxParallel);
    }
  }
}
