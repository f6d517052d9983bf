package io.garden.build;

import com.github.dockerjava.api.model.HealthCheck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthPolicyTest {

  @Test
  @DisplayName("a compose healthcheck: its test as the engine runs it, its timing, Docker's defaults for the rest")
  void fromCompose() {
    HealthPolicy policy = HealthPolicy.fromCompose(Map.of("test", List.of("CMD", "curl", "-f", "localhost"),
        "interval", "1m30s", "retries", 5, "start_period", "10s")).orElseThrow();

    assertThat(policy.command()).containsExactly("curl", "-f", "localhost");
    assertThat(policy.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(policy.timeout()).isEqualTo(HealthPolicy.DEFAULT_TIMEOUT);
    assertThat(policy.retries()).isEqualTo(5);
    assertThat(policy.startPeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(HealthPolicy.fromCompose(Map.of("test", "wget -q -O- localhost/health")).orElseThrow().command())
        .as("a string is CMD-SHELL").containsExactly("/bin/sh", "-c", "wget -q -O- localhost/health");
    assertThat(HealthPolicy.fromCompose(Map.of("disable", true))).isEmpty();
    assertThat(HealthPolicy.fromCompose(Map.of("test", List.of("NONE")))).isEmpty();
    assertThat(HealthPolicy.fromCompose(null)).isEmpty();
  }

  @Test
  @DisplayName("an image HEALTHCHECK keeps its interval and retries (nanoseconds; 0 is Docker's default)")
  void fromImage() {
    HealthCheck check = new HealthCheck().withTest(List.of("CMD-SHELL", "exit 1")).withInterval(2_000_000_000L)
        .withRetries(2).withTimeout(0L);
    HealthPolicy policy = HealthPolicy.fromImage(check).orElseThrow();

    assertThat(policy.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.timeout()).isEqualTo(HealthPolicy.DEFAULT_TIMEOUT);
    assertThat(policy.unhealthy(1, Duration.ofSeconds(3))).isFalse();
    assertThat(policy.unhealthy(2, Duration.ofSeconds(3))).isTrue();
  }

  @Test
  @DisplayName("failures within the start period do not count")
  void startPeriod() {
    HealthPolicy policy = new HealthPolicy(List.of("x"), Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
        Duration.ofSeconds(20));
    assertThat(policy.unhealthy(5, Duration.ofSeconds(10))).isFalse();
    assertThat(policy.unhealthy(5, Duration.ofSeconds(21))).isTrue();
  }

  @Test
  @DisplayName("compose durations are read as compose reads them")
  void durations() {
    assertThat(HealthPolicy.duration("500ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    assertThat(HealthPolicy.duration("1h2m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(62));
    assertThat(HealthPolicy.duration("soon", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
  }
}
