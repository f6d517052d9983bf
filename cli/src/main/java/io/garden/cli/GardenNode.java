package io.garden.cli;

import io.garden.build.Engine;
import io.garden.build.worker.BuildWorkerVerticle;
import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.registry.worker.PublishVerticle;
import io.garden.registry.worker.RegistryRequestsVerticle;
import io.garden.validate.worker.ValidateWorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintWriter;
import java.util.List;

/**
 * The whole pipeline in one process (garden up, garden demo): a broker (embedded unless configured), the topics,
 * and every worker deployed on one Vert.x instance.
 */
final class GardenNode implements AutoCloseable {

  private final EmbeddedKafka embedded;
  private final String bootstrapServers;
  private final Vertx vertx;
  private final List<String> workers;

  private GardenNode(EmbeddedKafka embedded, String bootstrapServers, Vertx vertx, List<String> workers) {
    this.embedded = embedded;
    this.bootstrapServers = bootstrapServers;
    this.vertx = vertx;
    this.workers = workers;
  }

  static GardenNode start(GardenConfig config, PrintWriter out) {
    EmbeddedKafka embedded = null;
    String servers = config.kafkaBootstrapServers();
    if (servers == null) {
      out.println("Starting an embedded Kafka broker (KRaft)...");
      out.flush();
      embedded = EmbeddedKafka.start();
      servers = embedded.bootstrapServers();
    }
    Vertx vertx = null;
    try {
      try (Admin admin = Admin.create(settings(servers, config, "garden-up").admin())) {
        new TopicBootstrapper(admin, config.topicReplication()).ensureTopics();
      }
      vertx = Vertx.vertx();
      Future.all(List.of(
          vertx.deployVerticle(new ValidateWorkerVerticle(
              settings(servers, config, ValidateWorkerVerticle.GROUP), KafkaWorkerVerticle::exitProcess)),
          vertx.deployVerticle(new RegistryRequestsVerticle(
              settings(servers, config, RegistryRequestsVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess)),
          vertx.deployVerticle(new PublishVerticle(
              settings(servers, config, PublishVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess))
      )).await();
      List<String> workers = new java.util.ArrayList<>(List.of(ValidateWorkerVerticle.GROUP,
          RegistryRequestsVerticle.GROUP, PublishVerticle.GROUP));
      Engine engine = new Engine(config.dockerHost());
      if (engine.available()) {
        vertx.deployVerticle(new BuildWorkerVerticle(settings(servers, config, BuildWorkerVerticle.GROUP), engine,
            config.imageRegistry(), KafkaWorkerVerticle::exitProcess)).await();
        workers.add(BuildWorkerVerticle.GROUP);
      } else {
        closeQuietly(engine);
        out.println("No container engine at " + config.dockerHost() + ": the build worker is not started"
            + " (scripts/container-engine.sh start, then DOCKER_HOST=...)");
      }
      return new GardenNode(embedded, servers, vertx, workers);
    } catch (RuntimeException e) {
      if (vertx != null) {
        vertx.close().await();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private static void closeQuietly(Engine engine) {
    try {
      engine.close();
    } catch (java.io.IOException ignored) {
      // Nothing was opened on it.
    }
  }

  static KafkaSettings settings(String servers, GardenConfig config, String component) {
    return new KafkaSettings(servers, component, config.host());
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  Vertx vertx() {
    return vertx;
  }

  List<String> workers() {
    return workers;
  }

  @Override
  public void close() {
    vertx.close().await();
    if (embedded != null) {
      embedded.close();
    }
  }
}
