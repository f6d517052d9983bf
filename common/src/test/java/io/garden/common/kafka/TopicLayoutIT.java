package io.garden.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBroker.class)
class TopicLayoutIT {

  @Test
  @DisplayName("start-up refuses an existing garden.registry.publish with 3 partitions, naming the fix")
  void refusesMultiPartitionPublishTopic() throws Exception {
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "layout-it", "test-host");
    try (Admin admin = Admin.create(settings.admin())) {
      // The broker is shared by all ITs: replace the publish topic with a bad one, and put it back afterwards.
      recreate(admin, 3);
      try {
        assertThatThrownBy(() -> new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics())
            .isInstanceOf(TopicLayoutException.class)
            .hasMessageContaining("Topic 'garden.registry.publish' has 3 partitions but must have exactly 1")
            .hasMessageContaining("kafka-topics.sh --delete --topic garden.registry.publish");
      } finally {
        recreate(admin, 1);
      }
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
      assertThat(admin.describeTopics(List.of(Topics.REGISTRY_PUBLISH)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(Topics.REGISTRY_PUBLISH).partitions()).hasSize(1);
    }
  }

  @Test
  @DisplayName("a changed audit-log retention is applied to the existing garden.events at start, and put back")
  void alignsExistingEventsRetention() throws Exception {
    KafkaSettings settings = new KafkaSettings(KafkaBroker.bootstrapServers(), "layout-it", "test-host");
    try (Admin admin = Admin.create(settings.admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
      TopicSettings month = TopicSettings.fromEnv(java.util.Map.of("GARDEN_EVENTS_RETENTION_DAYS", "30"));
      try {
        new TopicBootstrapper(admin, month).ensureTopics();
        // A config change reaches the broker's view through the metadata log: seen shortly after, not at once.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(retention(admin)).isEqualTo(Long.toString(Duration.ofDays(30).toMillis())));
      } finally {
        new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(retention(admin)).isEqualTo(Long.toString(Duration.ofDays(365).toMillis())));
    }
  }

  private static String retention(Admin admin) throws Exception {
    var resource = new org.apache.kafka.common.config.ConfigResource(
        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.EVENTS);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
        .get("retention.ms").value();
  }

  private static void recreate(Admin admin, int partitions) throws Exception {
    if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.REGISTRY_PUBLISH)) {
      admin.deleteTopics(List.of(Topics.REGISTRY_PUBLISH)).all().get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.REGISTRY_PUBLISH));
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      admin.createTopics(List.of(new NewTopic(Topics.REGISTRY_PUBLISH, partitions, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
      return true;
    });
  }
}
