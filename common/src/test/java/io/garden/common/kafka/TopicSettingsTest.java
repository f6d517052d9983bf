package io.garden.common.kafka;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicSettingsTest {

  private static Topics.Spec spec(String name) {
    return Topics.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("with nothing set, topics suit one broker and the audit log is kept a year")
  void singleBrokerByDefault() {
    assertThat(TopicSettings.fromEnv(Map.of())).isEqualTo(TopicSettings.SINGLE_BROKER);
    assertThat(TopicSettings.SINGLE_BROKER.configs(spec(Topics.EVENTS)))
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(365).toMillis()))
        .containsEntry("min.insync.replicas", "1");
  }

  @Test
  @DisplayName("replication 3 means min.insync.replicas 2 unless set: one broker may be down")
  void clusterDefaults() {
    TopicSettings settings = TopicSettings.fromEnv(Map.of("GARDEN_TOPIC_REPLICATION", "3"));
    assertThat(settings.replication()).isEqualTo((short) 3);
    assertThat(settings.configs(spec(Topics.VALIDATE_REQUESTS))).containsEntry("min.insync.replicas", "2");
  }

  @Test
  @DisplayName("the audit log's retention is configurable, -1 keeps it forever, and only garden.events gets it")
  void eventsRetention() {
    TopicSettings forever = TopicSettings.fromEnv(Map.of("GARDEN_EVENTS_RETENTION_DAYS", "-1"));
    assertThat(forever.configs(spec(Topics.EVENTS))).containsEntry("retention.ms", "-1");
    TopicSettings month = TopicSettings.fromEnv(Map.of("GARDEN_EVENTS_RETENTION_DAYS", "30"));
    assertThat(month.configs(spec(Topics.EVENTS)))
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
    assertThat(month.configs(spec(Topics.VALIDATE_REQUESTS))).doesNotContainKey("retention.ms");
  }

  @Test
  @DisplayName("min.insync.replicas above the replication is refused at start, naming both variables")
  void impossibleMinInsync() {
    assertThatThrownBy(() -> TopicSettings.fromEnv(Map.of("GARDEN_TOPIC_REPLICATION", "2",
        "GARDEN_TOPIC_MIN_INSYNC_REPLICAS", "3")))
        .hasMessageContaining("GARDEN_TOPIC_MIN_INSYNC_REPLICAS must be between 1 and GARDEN_TOPIC_REPLICATION (2)");
  }

  @Test
  @DisplayName("a retention of zero days is refused: it would delete the audit log at once")
  void zeroRetention() {
    assertThatThrownBy(() -> TopicSettings.fromEnv(Map.of("GARDEN_EVENTS_RETENTION_DAYS", "0")))
        .hasMessageContaining("GARDEN_EVENTS_RETENTION_DAYS");
  }
}
