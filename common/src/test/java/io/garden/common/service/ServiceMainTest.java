package io.garden.common.service;

import io.garden.common.config.KnownSettings.Component;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceMainTest {

  @Test
  @DisplayName("a service refuses to start with an unknown GARDEN_ variable, before touching Kafka, naming it")
  void unknownVariableStopsTheStart() {
    assertThatThrownBy(() -> ServiceMain.start(Component.VALIDATE_WORKER,
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "nowhere:1", "GARDEN_SOURCE_CACH", "/tmp/x"), c -> List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("validate-worker cannot start with this configuration:")
        .hasMessageContaining("GARDEN_SOURCE_CACH is not a setting garden knows (did you mean GARDEN_SOURCE_CACHE?)");
  }

  @Test
  @DisplayName("a service without KAFKA_BOOTSTRAP_SERVERS refuses to start, saying what it is")
  void kafkaIsRequired() {
    assertThatThrownBy(() -> ServiceMain.start(Component.REGISTRY_WORKER, Map.of(), c -> List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required by registry-worker");
  }

  @Test
  @DisplayName("a health port that is not a port is refused, naming the variable")
  void badHealthPort() {
    assertThatThrownBy(() -> ServiceMain.start(Component.VALIDATE_WORKER,
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "nowhere:1", "GARDEN_HEALTH_PORT", "health"), c -> List.of()))
        .hasMessageContaining("GARDEN_HEALTH_PORT must be a port number");
  }

  @Test
  @DisplayName("--help lists what the service reads, from the one list of settings")
  void usageListsSettings() {
    String usage = ServiceMain.usage(Component.GATEWAY);
    assertThat(usage).contains("GARDEN_API_TOKEN[_FILE]", "GARDEN_API_TOKENS_FILE", "the bearer token", "GARDEN_HEALTH_PORT",
        "GARDEN_GITHUB_WEBHOOK_SECRET[_FILE]");
    assertThat(ServiceMain.usage(Component.VALIDATE_WORKER)).doesNotContain("GARDEN_API_TOKEN");
  }
}
