package io.garden.gateway;

import io.garden.common.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Whether the cluster is fit to take pipelines, and how far behind each worker group is. Blocking, bounded. */
public final class Readiness {

  /** The groups whose lag the metrics show. */
  static final List<String> GROUPS = List.of("coordinator", "validate-worker", "build-worker", "registry-worker",
      "registry-publisher");

  private Readiness() {
  }

  /** @return what is wrong, one line each; empty when ready */
  public static List<String> check(Admin admin) {
    List<String> problems = new ArrayList<>();
    Map<String, TopicDescription> topics;
    try {
      topics = admin.describeTopics(Topics.names()).allTopicNames().get(
          io.garden.common.service.KafkaProbe.ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return List.of("topics missing or unreadable: " + e.getCause().getMessage()
          + " (garden up creates them; garden doctor checks them)");
    } catch (TimeoutException e) {
      return List.of("Kafka did not answer within " + io.garden.common.service.KafkaProbe.ANSWER.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("interrupted");
    }
    for (String name : Topics.names()) {
      if (!topics.containsKey(name)) {
        problems.add("topic " + name + " is missing");
      }
    }
    TopicDescription publish = topics.get(Topics.REGISTRY_PUBLISH);
    if (publish != null && publish.partitions().size() != 1) {
      problems.add(Topics.REGISTRY_PUBLISH + " has " + publish.partitions().size()
          + " partitions; it must have exactly 1 (publishing is serialised through it)");
    }
    return problems;
  }

  /** Records behind per group: the end of each partition it has committed on, minus its committed offset. */
  public static Map<String, Long> lag(Admin admin) {
    Map<String, Long> lag = new LinkedHashMap<>();
    try {
      for (String group : GROUPS) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        if (committed.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
            .get(5, TimeUnit.SECONDS);
        long behind = 0;
        for (var e : committed.entrySet()) {
          if (e.getValue() != null && ends.containsKey(e.getKey())) {
            behind += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
          }
        }
        lag.put(group, behind);
      }
    } catch (ExecutionException | TimeoutException e) {
      // Metrics are best effort: the rest of the scrape still answers.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lag;
  }
}
