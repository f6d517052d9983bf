package io.garden.gateway.coordinator;

import io.garden.common.platform.Platforms;

/** Whether some build worker builds each platform a push is planned for. Blocking; may wait a bounded time. */
@FunctionalInterface
public interface PlatformBuilders {

  /** Every platform has a builder already: for plans that never reach a cluster (tests of planning). */
  PlatformBuilders ANY = platforms -> { };

  /** @throws PlanRefusedException naming the platforms no worker builds */
  void require(Platforms platforms);
}
