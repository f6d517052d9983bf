package io.garden.common.config;

import io.garden.common.config.KnownSettings.Component;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KnownSettingsTest {

  private static final Map<String, String> KAFKA = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");

  @Test
  @DisplayName("a worker with Kafka and known settings may start")
  void knownSettingsPass() {
    assertThat(KnownSettings.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "GARDEN_STORE_PROD",
        "s3://bucket", "GARDEN_TOPIC_REPLICATION", "3", "PATH", "/usr/bin"), Component.VALIDATE_WORKER)).isEmpty();
  }

  @Test
  @DisplayName("a misspelt GARDEN_ variable stops the start, naming it and the setting it was probably meant to be")
  void typoIsNamedWithSuggestion() {
    assertThat(KnownSettings.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "GARDEN_TOPIC_REPLICATON",
        "3"), Component.REGISTRY_WORKER))
        .containsExactly("GARDEN_TOPIC_REPLICATON is not a setting garden knows (did you mean"
            + " GARDEN_TOPIC_REPLICATION?); remove it, or see docs/OPERATIONS.md for the settings");
  }

  @Test
  @DisplayName("a per-stage setting is known for every stage, and a made-up stage is not")
  void stagePatterns() {
    assertThat(KnownSettings.find("GARDEN_STORE_DEV")).isPresent();
    assertThat(KnownSettings.find("GARDEN_PUBLISHERS_PROD")).isPresent();
    assertThat(KnownSettings.find("GARDEN_STORE_QA")).isEmpty();
  }

  @Test
  @DisplayName("a secret may be given as NAME_FILE, and that counts as set")
  void secretFileCountsAsSet() {
    assertThat(KnownSettings.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "GARDEN_API_TOKEN_FILE",
        "/run/secrets/token"), Component.GATEWAY)).isEmpty();
    assertThat(KnownSettings.find("GARDEN_PORT_FILE")).as("not a secret").isEmpty();
  }

  @Test
  @DisplayName("a missing required setting is named with what it is for")
  void missingRequired() {
    assertThat(KnownSettings.problems(Map.of(), Component.GATEWAY)).containsExactly(
        "KAFKA_BOOTSTRAP_SERVERS is required by gateway: the Kafka cluster (host:port,...); the CLI starts an"
            + " embedded broker without it",
        "GARDEN_API_TOKENS_FILE (named credentials, made with garden token create) or GARDEN_API_TOKEN"
            + " (or GARDEN_API_TOKEN_FILE; one shared admin credential) is required by gateway: nobody could call"
            + " the API");
    assertThat(KnownSettings.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "GARDEN_API_TOKENS_FILE",
        "/etc/garden/tokens.json"), Component.GATEWAY)).as("named credentials alone are enough").isEmpty();
    assertThat(KnownSettings.problems(KAFKA, Component.BUILD_WORKER)).isEmpty();
  }

  @Test
  @DisplayName("variables of other software are left alone")
  void othersIgnored() {
    assertThat(KnownSettings.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "JAVA_TOOL_OPTIONS", "-Xmx1g",
        "HOSTNAME", "abc"), Component.VALIDATE_WORKER)).isEmpty();
  }
}
