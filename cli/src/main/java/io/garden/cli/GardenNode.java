package io.garden.cli;

import io.garden.build.Engine;
import io.garden.build.worker.BuildWorkerVerticle;
import io.garden.common.config.GardenConfig;
import io.garden.common.engine.EngineProbe;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.api.GatewayVerticle;
import io.garden.gateway.coordinator.CoordinatorSettings;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import io.garden.registry.worker.PublishVerticle;
import io.garden.registry.worker.RegistryRequestsVerticle;
import io.garden.validate.worker.ValidateWorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The whole system in one process (garden up, garden ci-pipeline): a broker (embedded unless configured), the
 * topics, every worker, the coordinator and the gateway, on one Vert.x instance.
 */
final class GardenNode implements AutoCloseable {

  private final EmbeddedKafka embedded;
  private final String bootstrapServers;
  private final Vertx vertx;
  private final List<String> components;
  private final int port;
  private final String token;

  private GardenNode(EmbeddedKafka embedded, String bootstrapServers, Vertx vertx, List<String> components, int port,
                     String token) {
    this.embedded = embedded;
    this.bootstrapServers = bootstrapServers;
    this.vertx = vertx;
    this.components = components;
    this.port = port;
    this.token = token;
  }

  /**
   * @param config  with its stores already placed (under the data dir)
   * @param gateway the gateway's settings; a token is made up when none is configured
   * @param say     progress lines while starting (the broker takes a few seconds)
   */
  static GardenNode start(GardenConfig config, GatewayConfig gateway, PrintWriter say) {
    EmbeddedKafka embedded = null;
    String servers = config.kafkaBootstrapServers();
    if (servers == null) {
      say.println("Starting an embedded Kafka broker (KRaft)...");
      say.flush();
      embedded = EmbeddedKafka.start();
      servers = embedded.bootstrapServers();
    }
    String token = gateway.apiToken().orElseGet(GardenNode::newToken);
    Vertx vertx = null;
    try {
      try (Admin admin = Admin.create(settings(servers, config, "garden-up").admin())) {
        new TopicBootstrapper(admin, config.topicReplication()).ensureTopics();
      }
      vertx = Vertx.vertx();
      List<String> components = new ArrayList<>(deployWorkers(vertx, servers, config));
      String engineDown = engineState(config.dockerHost());
      if (engineDown == null) {
        vertx.deployVerticle(new BuildWorkerVerticle(settings(servers, config, BuildWorkerVerticle.GROUP),
            new Engine(config.dockerHost()), config.imageRegistry(), KafkaWorkerVerticle::exitProcess)).await();
        components.add(BuildWorkerVerticle.GROUP);
      } else {
        say.println(engineDown + ": the build worker is not started, and pipelines skip build, test and push"
            + " (scripts/container-engine.sh start, then DOCKER_HOST=...)");
      }
      vertx.deployVerticle(new CoordinatorVerticle(settings(servers, config, CoordinatorVerticle.GROUP),
          new CoordinatorSettings(gateway.maxParallel(), gateway.sourcePolicy(),
              () -> engineState(config.dockerHost())), KafkaWorkerVerticle::exitProcess)).await();
      components.add(CoordinatorVerticle.GROUP);
      GatewayVerticle api = new GatewayVerticle(settings(servers, config, "gateway"), config,
          gateway.withToken(token), Duration.ofSeconds(15));
      vertx.deployVerticle(api).await();
      components.add("gateway");
      return new GardenNode(embedded, servers, vertx, components, api.port(), token);
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

  private static List<String> deployWorkers(Vertx vertx, String servers, GardenConfig config) {
    Future.all(List.of(
        vertx.deployVerticle(new ValidateWorkerVerticle(
            settings(servers, config, ValidateWorkerVerticle.GROUP), KafkaWorkerVerticle::exitProcess)),
        vertx.deployVerticle(new RegistryRequestsVerticle(
            settings(servers, config, RegistryRequestsVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess)),
        vertx.deployVerticle(new PublishVerticle(
            settings(servers, config, PublishVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess))
    )).await();
    return List.of(ValidateWorkerVerticle.GROUP, RegistryRequestsVerticle.GROUP, PublishVerticle.GROUP);
  }

  /** Null when a container engine answers at DOCKER_HOST, else the reason pipelines show. */
  static String engineState(String dockerHost) {
    return EngineProbe.answers(dockerHost, Duration.ofSeconds(2)) ? null
        : "no container engine at DOCKER_HOST=" + dockerHost;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

  List<String> components() {
    return components;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String token() {
    return token;
  }

  @Override
  public void close() {
    vertx.close().await();
    if (embedded != null) {
      embedded.close();
    }
  }
}
