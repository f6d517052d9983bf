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

  @Test
  @DisplayName("the audit line of a decision says when, who, what of which extension, through which door, and the verdict")
  void auditLines() {
    EventContext context = new EventContext("p-7", "c-1", "api:ci", "gateway@it");
    AccessDecided allowed = new AccessDecided("api:ci", AccessAction.PUBLISH, "stage", true, "has publish:stage",
        "api", "tools/tool-demo");
    io.garden.common.event.Envelope e = CODEC.envelope(allowed, context);
    String time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(e.time());

    assertThat(EventLines.audit(e, false)).contains(time + "  api:ci  p-7  ok allowed api:ci (publish stage"
        + " tools/tool-demo, via api)");
    assertThat(EventLines.audit(e, true).orElseThrow()).contains("✔ allowed");
  }

  @Test
  @DisplayName("blank build output is no audit line; an event without a line of its own shows its type and data")
  void progressAndFallback() {
    EventContext context = new EventContext("p-7", "c-1", "build-worker", "worker@it");
    assertThat(EventLines.audit(CODEC.envelope(new io.garden.common.event.BuildProgress("apps/a", "  "), context),
        false)).isEmpty();
    assertThat(EventLines.audit(CODEC.envelope(new io.garden.common.event.BuildProgress("apps/a", "Step 2/5 : RUN"
        + " make"), context), false).orElseThrow()).endsWith("apps/a | Step 2/5 : RUN make");
    assertThat(EventLines.audit(CODEC.envelope(new io.garden.common.event.CancelRequested("too slow"), context),
        false).orElseThrow()).endsWith("pipeline.cancel-requested {\"reason\":\"too slow\"}");
  }

  @Test
  @DisplayName("a push of several platforms says each image is an index of them")
  void pushesNameTheirPlatforms() {
    EventContext context = new EventContext("p-7", "c-1", "build-worker", "worker@it");
    io.garden.common.event.ImageResult api = new io.garden.common.event.ImageResult("api",
        "localhost:5000/kamiwazaai/x-api:1.0.0-stage", null, "sha256:" + "a".repeat(64), null,
        java.util.List.of("linux/amd64", "linux/arm64"));

    assertThat(EventLines.of(CODEC.envelope(new io.garden.common.event.PushFinished("apps/x", "stage",
        java.util.List.of(api)), context)).orElseThrow())
        .isEqualTo("p-7   pushed 1 image(s) of apps/x for stage, each an index of linux/amd64, linux/arm64");
  }
}
