package io.garden.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit extension: one real Kafka broker per test JVM, shared by every IT class that registers it and stopped when
 * the JVM's tests are done.
 *
 * <p>By default it is an {@link EmbeddedKafka} (no Docker needed). With {@code -Pgarden-testcontainers}
 * ({@code garden.kafka.provider=testcontainers}) it is Testcontainers' Kafka module instead, for machines with a
 * Docker engine and the image; {@code garden.kafka.bootstrap=host:port} points the tests at a running cluster.
 */
public final class KafkaBroker implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBroker.class);

  private static volatile String bootstrapServers;

  public static String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("register KafkaBroker with @ExtendWith before using it");
    }
    return bootstrapServers;
  }

  /**
   * How many records {@code topic} holds, summed over its partitions: a test takes it before and after to show that
   * something put nothing (or exactly one record) on Kafka.
   */
  public static long endOffsets(String topic) throws Exception {
    KafkaSettings settings = new KafkaSettings(bootstrapServers(), "it-offsets", "it");
    try (Admin admin = Admin.create(settings.admin())) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Running running = context.getRoot().getStore(NS)
        .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    bootstrapServers = running.bootstrapServers();
  }

  private static Running start() {
    String external = System.getProperty("garden.kafka.bootstrap");
    if (external != null && !external.isBlank()) {
      return new Running(external, () -> { });
    }
    if ("testcontainers".equals(System.getProperty("garden.kafka.provider"))) {
      return startTestcontainers();
    }
    EmbeddedKafka kafka = EmbeddedKafka.start();
    return new Running(kafka.bootstrapServers(), kafka::close);
  }

  /** Reflective, so the default build needs neither Testcontainers nor Docker on its classpath. */
  private static Running startTestcontainers() {
    try {
      Class<?> type = Class.forName("org.testcontainers.kafka.KafkaContainer");
      Object container = type.getConstructor(String.class).newInstance(
          System.getProperty("garden.kafka.image", "apache/kafka:4.1.1"));
      type.getMethod("start").invoke(container);
      String servers = (String) type.getMethod("getBootstrapServers").invoke(container);
      return new Running(servers, () -> {
        try {
          type.getMethod("stop").invoke(container);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("garden.kafka.provider=testcontainers needs the testcontainers profile"
          + " (mvn -Pgarden-testcontainers verify) and a Docker engine: " + e, e);
    }
  }

  private record Running(String bootstrapServers, Runnable stopper)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stopper.run();
    }
  }
}
