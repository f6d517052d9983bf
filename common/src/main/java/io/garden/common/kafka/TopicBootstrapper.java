package io.garden.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates missing topics with their partition counts and checks existing ones. Blocking (Kafka admin client):
 * verticles call it through {@code executeBlocking}.
 */
public final class TopicBootstrapper {

  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final TopicSettings settings;

  public TopicBootstrapper(Admin admin, TopicSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  /**
   * Ensures every topic in {@link Topics#ALL} exists.
   *
   * @throws TopicLayoutException when a topic that must have an exact partition count has another one
   */
  public void ensureTopics() {
    ensure(Topics.ALL);
  }

  public void ensure(List<Topics.Spec> specs) {
    Set<String> existing = call(() -> admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    List<NewTopic> missing = new ArrayList<>();
    for (Topics.Spec spec : specs) {
      if (!existing.contains(spec.name())) {
        missing.add(new NewTopic(spec.name(), spec.partitions(), settings.replication())
            .configs(settings.configs(spec)));
      }
    }
    if (!missing.isEmpty()) {
      create(missing);
    }
    verify(specs);
    align(specs.stream().filter(spec -> existing.contains(spec.name())).toList());
  }

  /**
   * Brings topics that were already there to the configured settings (a changed audit-log retention, a raised
   * min.insync.replicas), changing only what differs.
   */
  private void align(List<Topics.Spec> specs) {
    if (specs.isEmpty()) {
      return;
    }
    Map<ConfigResource, Topics.Spec> resources = new HashMap<>();
    specs.forEach(spec -> resources.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), spec));
    Map<ConfigResource, Config> current =
        call(() -> admin.describeConfigs(resources.keySet()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
    resources.forEach((resource, spec) -> settings.configs(spec).forEach((key, wanted) -> {
      ConfigEntry entry = current.get(resource).get(key);
      if (entry == null || !wanted.equals(entry.value())) {
        changes.computeIfAbsent(resource, r -> new ArrayList<>())
            .add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
      }
    }));
    if (!changes.isEmpty()) {
      call(() -> admin.incrementalAlterConfigs(changes).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
  }

  private void create(List<NewTopic> missing) {
    try {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Another component may have created it between our list and create; verify() checks what is there.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new KafkaUnavailableException("could not create topics: " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not create topics within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  private void verify(List<Topics.Spec> specs) {
    List<String> names = specs.stream().map(Topics.Spec::name).toList();
    Map<String, TopicDescription> descriptions =
        call(() -> admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    for (Topics.Spec spec : specs) {
      int actual = descriptions.get(spec.name()).partitions().size();
      if (spec.exactPartitions() && actual != spec.partitions()) {
        throw new TopicLayoutException("Topic '" + spec.name() + "' has " + actual + " partitions but must have"
            + " exactly " + spec.partitions() + ": publishing is serialised through its single consumer, and with"
            + " more partitions two publishers could run at once. Recreate it with " + spec.partitions()
            + " partition(s) (kafka-topics.sh --delete --topic " + spec.name() + ", then restart).");
      }
    }
  }

  private interface AdminCall<T> {
    T run() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private static <T> T call(AdminCall<T> call) {
    try {
      return call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while talking to Kafka", e);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException("Kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
