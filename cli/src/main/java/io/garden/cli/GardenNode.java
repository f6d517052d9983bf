package io.garden.cli;

import io.garden.build.Engine;
import io.garden.build.worker.BuildWorkerVerticle;
import io.garden.common.config.GardenConfig;
import io.garden.common.engine.EngineProbe;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.source.SourceCheckouts;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.api.GatewayVerticle;
import io.garden.gateway.hooks.CommitStatusVerticle;
import io.garden.gateway.coordinator.CoordinatorSettings;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import io.garden.registry.worker.PublishVerticle;
import io.garden.registry.worker.RegistryRequestsVerticle;
import io.garden.validate.worker.ValidateWorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The whole system in one process (garden up, garden ci-pipeline): a broker (embedded unless configured), the
 * topics, every worker, the coordinator and the gateway, on one Vert.x instance.
 */
final class GardenNode implements AutoCloseable {

  /** What a process runs: {@code garden up} all of them, {@code garden gateway} and each worker one. */
  enum Role { VALIDATE, BUILD, REGISTRY, GATEWAY }

  static final String COORDINATOR = CoordinatorVerticle.GROUP;
  static final String GATEWAY = "gateway";

  private final EmbeddedKafka embedded;
  private final String bootstrapServers;
  private final Vertx vertx;
  private final Map<String, Supplier<VerticleBase>> factories;
  private final Map<String, String> deployments = new ConcurrentHashMap<>();
  private final String token;
  private volatile int port;

  private GardenNode(EmbeddedKafka embedded, String bootstrapServers, Vertx vertx,
                     Map<String, Supplier<VerticleBase>> factories, String token) {
    this.embedded = embedded;
    this.bootstrapServers = bootstrapServers;
    this.vertx = vertx;
    this.factories = factories;
    this.token = token;
  }

  /**
   * @param config  with its stores already placed (under the data dir)
   * @param gateway the gateway's settings; a token is made up when none is configured
   * @param say     progress lines while starting (the broker takes a few seconds)
   */
  static GardenNode start(GardenConfig config, GatewayConfig gateway, PrintWriter say) {
    return start(config, gateway, say, EnumSet.allOf(Role.class));
  }

  /**
   * Starts some of the components: {@code garden gateway} and {@code garden worker ...} run one role each against a
   * cluster; {@code garden up} runs them all (and a broker when none is configured).
   */
  static GardenNode start(GardenConfig config, GatewayConfig gateway, PrintWriter say, Set<Role> roles) {
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
        new TopicBootstrapper(admin, config.topics()).ensureTopics();
      }
      vertx = Vertx.vertx();
      Map<String, Supplier<VerticleBase>> parts = components(servers, config, gateway.withToken(token), say, roles);
      GardenNode node = new GardenNode(embedded, servers, vertx, parts, token);
      // Workers first, then the coordinator that sends them work, then the door that takes it in.
      Future.all(parts.keySet().stream().filter(c -> !c.equals(COORDINATOR) && !c.equals(GATEWAY))
          .map(node::deploy).toList()).await();
      if (parts.containsKey(COORDINATOR)) {
        node.deploy(COORDINATOR).await();
        node.deploy(GATEWAY).await();
      }
      return node;
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

  private static Map<String, Supplier<VerticleBase>> components(String servers, GardenConfig config,
                                                               GatewayConfig gateway, PrintWriter say,
                                                               Set<Role> roles) {
    Map<String, Supplier<VerticleBase>> parts = new LinkedHashMap<>();
    SourceCheckouts checkouts = new SourceCheckouts(config.sourceCache());
    if (roles.contains(Role.VALIDATE)) {
      parts.put(ValidateWorkerVerticle.GROUP, () -> new ValidateWorkerVerticle(
          settings(servers, config, ValidateWorkerVerticle.GROUP), checkouts, KafkaWorkerVerticle::exitProcess));
    }
    if (roles.contains(Role.REGISTRY)) {
      parts.put(RegistryRequestsVerticle.GROUP, () -> new RegistryRequestsVerticle(
          settings(servers, config, RegistryRequestsVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess));
      parts.put(PublishVerticle.GROUP, () -> new PublishVerticle(
          settings(servers, config, PublishVerticle.GROUP), config, KafkaWorkerVerticle::exitProcess));
    }
    if (roles.contains(Role.BUILD)) {
      String engineDown = engineState(config.dockerHost());
      if (engineDown == null) {
        parts.put(BuildWorkerVerticle.GROUP, () -> new BuildWorkerVerticle(
            settings(servers, config, BuildWorkerVerticle.GROUP), new Engine(config.dockerHost()),
            config.imageRegistry(), checkouts, KafkaWorkerVerticle::exitProcess));
      } else if (roles.size() == 1) {
        throw new IllegalStateException(engineDown + ": a build worker needs one (scripts/container-engine.sh"
            + " start, then DOCKER_HOST=...)");
      } else {
        say.println(engineDown + ": the build worker is not started, and pipelines skip build, test and push"
            + " (scripts/container-engine.sh start, then DOCKER_HOST=...)");
      }
    }
    if (roles.contains(Role.GATEWAY)) {
      parts.put(COORDINATOR, () -> new CoordinatorVerticle(settings(servers, config, CoordinatorVerticle.GROUP),
          new CoordinatorSettings(gateway.maxParallel(), gateway.sourcePolicy(),
              () -> engineState(config.dockerHost()), checkouts), KafkaWorkerVerticle::exitProcess));
      parts.put(GATEWAY, () -> new GatewayVerticle(settings(servers, config, GATEWAY), config, gateway,
          Duration.ofSeconds(15)));
      if (CommitStatusVerticle.wanted(gateway.hooks())) {
        parts.put(CommitStatusVerticle.GROUP, () -> new CommitStatusVerticle(
            settings(servers, config, CommitStatusVerticle.GROUP), gateway.hooks(), Backoff.DEFAULT));
      }
    }
    return parts;
  }

  /** Starts one component (again, after {@link #stop}): a fresh verticle from its factory. */
  Future<String> deploy(String component) {
    VerticleBase verticle = factories.get(component).get();
    return vertx.deployVerticle(verticle).onSuccess(id -> {
      deployments.put(component, id);
      if (verticle instanceof GatewayVerticle api) {
        port = api.port();
      }
    });
  }

  /** Stops one component as a crash would leave the others: they go on, and its work waits in Kafka. */
  void stop(String component) {
    String id = deployments.remove(component);
    if (id != null) {
      vertx.undeploy(id).await();
    }
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
    return List.copyOf(factories.keySet());
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
