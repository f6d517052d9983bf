package io.garden.cli.remote;

import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLinesTest {

  private static final EventCodec CODEC = EventCodec.shared();

  @Test
  @DisplayName("a refused request gets a line naming who, what, where and why; an allowed one shows as its pipeline")
  void accessDecisions() {
    EventContext context = new EventContext(null, "c-1", "api:ci", "gateway@it");
    AccessDecided refused = new AccessDecided("api:ci", AccessAction.PUBLISH, "prod", false,
        "api:ci may not publish to prod: that needs the publish:prod role", "api", "tools/tool-demo");
    assertThat(EventLines.of(CODEC.envelope(refused, context))).contains("✘ refused api:ci (publish prod"
        + " tools/tool-demo): api:ci may not publish to prod: that needs the publish:prod role");

    AccessDecided allowed = new AccessDecided("api:ci", AccessAction.RUN, "dev", true, "api:ci has the run role",
        "api", "all");
    assertThat(EventLines.of(CODEC.envelope(allowed, context))).isEmpty();
  }
}
