package io.garden.gateway.coordinator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PushUnitsTest {

  private static final List<String> BOTH = List.of("linux/amd64", "linux/arm64");

  @Test
  @DisplayName("a unit names its extension and platform; an index unit names the extension alone")
  void namesRoundTrip() {
    assertThat(PushUnits.platformOf("apps/hello@linux/arm64")).contains("linux/arm64");
    assertThat(PushUnits.extensionOf("apps/hello@linux/arm64")).isEqualTo("apps/hello");
    assertThat(PushUnits.platformOf("apps/hello")).isEmpty();
    assertThat(PushUnits.extensionOf("apps/hello")).isEqualTo("apps/hello");
  }

  @Test
  @DisplayName("an index unit is ready only when every platform of its extension succeeded")
  void indexWaitsForEveryPlatform() {
    assertThat(PushUnits.ready("apps/a", BOTH, Set.of("apps/a@linux/amd64")::contains)).isFalse();
    assertThat(PushUnits.ready("apps/a", BOTH, Set.of("apps/a@linux/amd64", "apps/b@linux/arm64")::contains))
        .isFalse();
    assertThat(PushUnits.ready("apps/a", BOTH, Set.of("apps/a@linux/amd64", "apps/a@linux/arm64")::contains))
        .isTrue();
    assertThat(PushUnits.ready("apps/a@linux/arm64", BOTH, Set.<String>of()::contains)).isTrue();
    assertThat(PushUnits.ready("apps/a", List.of(), Set.<String>of()::contains)).as("no platforms: one unit").isTrue();
  }
}
