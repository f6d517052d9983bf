package io.garden.cli;

import io.garden.build.BuildService;
import io.garden.common.config.GardenConfig;
import io.garden.common.engine.EngineProbe;
import io.garden.common.kafka.EmbeddedKafka;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.GatewayService;
import io.garden.gateway.GatewayVerticle;
import io.garden.gateway.coordinator.CoordinatorVerticle;
import io.garden.registry.RegistryService;
import io.garden.validate.ValidateService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
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
public final class GardenNode implements AutoCloseable {

  /** What a process runs: {@code garden up} all of them, {@code garden gateway} and each worker one. */
  public enum Role { VALIDATE, BUILD, REGISTRY, GATEWAY }

  static final String COORDINATOR = CoordinatorVerticle.GROUP;
  static final String GATEWAY = GatewayService.API;

  private final EmbeddedKafka embedded;
  private final ServiceContext context;
  private final Vertx vertx;
  private final Map<String, ServicePart> factories;
  private final Map<String, String> deployments = new ConcurrentHashMap<>();
  /** Under a kept data folder: the broker's log folder, and the made-up API token (mode 0600). */
  static final String KAFKA_FOLDER = "kafka";
  static final String TOKEN_FILE = "api-token";

  private final String token;
  private final String bind;
  private volatile int port;

  private GardenNode(EmbeddedKafka embedded, ServiceContext context, Vertx vertx,
                     Map<String, ServicePart> factories, String token, String bind) {
    this.bind = bind;
    this.embedded = embedded;
    this.context = context;
    this.vertx = vertx;
    this.factories = factories;
    this.token = token;
  }

  /**
   * @param env     the environment the configuration was built from: every component reads its own settings from it
   *                (the build worker its {@code GARDEN_TEST_*}), as the same component started alone would
   * @param config  with its stores already placed (under the data dir)
   * @param gateway the gateway's settings; a token is made up when none is configured
   * @param say     progress lines while starting (the broker takes a few seconds)
   */
  public static GardenNode start(Map<String, String> env, GardenConfig config, GatewayConfig gateway,
                                 PrintWriter say) {
    return start(env, config, gateway, say, EnumSet.allOf(Role.class));
  }

  /**
   * Starts some of the components: {@code garden gateway} and {@code garden worker ...} run one role each against a
   * cluster; {@code garden up} runs them all (and a broker when none is configured).
   */
  public static GardenNode start(Map<String, String> env, GardenConfig config, GatewayConfig gateway,
                                 PrintWriter say, Set<Role> roles) {
    return start(env, config, gateway, say, roles, null);
  }

  /**
   * @param keep where an embedded broker keeps its data and the node its made-up token, across restarts
   *             ({@code garden up --data-dir}); null: nothing outlives the process
   */
  public static GardenNode start(Map<String, String> env, GardenConfig config, GatewayConfig gateway,
                                 PrintWriter say, Set<Role> roles, Path keep) {
    EmbeddedKafka embedded = null;
    String servers = config.kafkaBootstrapServers();
    if (servers == null) {
      say.println("Starting an embedded Kafka broker (KRaft)" + (keep == null ? "" : " with its data in "
          + keep.resolve(KAFKA_FOLDER)) + "...");
      say.flush();
      embedded = keep == null ? EmbeddedKafka.start() : EmbeddedKafka.startIn(keep.resolve(KAFKA_FOLDER));
      servers = embedded.bootstrapServers();
    }
    // A standalone gateway with named credentials gets no made-up shared token: nobody could be told it. The whole
    // system in one process (garden up, ci-pipeline) makes one for its own client and prints it; kept beside the
    // broker's data, so an open operator page is not locked out by a restart.
    boolean standalone = roles.size() == 1;
    String token = gateway.apiToken().orElseGet(() -> standalone && gateway.credentialsFile().isPresent() ? null
        : keep == null ? newToken() : keptToken(keep.resolve(TOKEN_FILE)));
    ServiceContext context = new ServiceContext(config, servers, env,
        new SourceCheckouts(config.sourceCache()));
    Vertx vertx = null;
    try {
      try (Admin admin = Admin.create(context.kafka("garden-up").admin())) {
        new TopicBootstrapper(admin, config.topics()).ensureTopics();
      }
      vertx = Vertx.vertx();
      Map<String, ServicePart> parts = components(context, token == null ? gateway
          : gateway.withToken(token), say, roles);
      GardenNode node = new GardenNode(embedded, context, vertx, parts, token, gateway.bind());
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

  /** The same parts the services run on their own ({@code io.garden.<module>.Main}), here in one process. */
  private static Map<String, ServicePart> components(ServiceContext context, GatewayConfig gateway,
                                                               PrintWriter say, Set<Role> roles) {
    List<ServicePart> parts = new ArrayList<>();
    if (roles.contains(Role.VALIDATE)) {
      parts.addAll(ValidateService.parts(context));
    }
    if (roles.contains(Role.REGISTRY)) {
      parts.addAll(RegistryService.parts(context));
    }
    if (roles.contains(Role.BUILD)) {
      String engineDown = EngineProbe.absence(context.config().dockerHost());
      if (engineDown == null) {
        parts.addAll(BuildService.partsWithEngine(context));
      } else if (roles.size() == 1) {
        throw BuildService.noEngine(engineDown);
      } else {
        say.println(engineDown + ": the build worker is not started, and pipelines skip build, test and push"
            + " (scripts/container-engine.sh start, then DOCKER_HOST=...)");
      }
    }
    if (roles.contains(Role.GATEWAY)) {
      // Everything in one process knows whether it started a build worker: its own engine decides, and without one
      // image steps are skipped (and said so). A gateway alone looks for build workers in the cluster.
      parts.addAll(roles.contains(Role.BUILD)
          ? GatewayService.parts(context, gateway, () -> EngineProbe.absence(context.config().dockerHost()))
          : GatewayService.parts(context, gateway));
    }
    Map<String, ServicePart> byName = new LinkedHashMap<>();
    parts.forEach(part -> byName.put(part.name(), part));
    return byName;
  }

  /** Starts one component (again, after {@link #stop}): a fresh verticle from its factory. */
  public Future<String> deploy(String component) {
    VerticleBase verticle = factories.get(component).verticle().get();
    return vertx.deployVerticle(verticle).onSuccess(id -> {
      deployments.put(component, id);
      if (verticle instanceof GatewayVerticle api) {
        port = api.port();
      }
    });
  }

  /** Stops one component as a crash would leave the others: they go on, and its work waits in Kafka. */
  public void stop(String component) {
    String id = deployments.remove(component);
    if (id != null) {
      vertx.undeploy(id).await();
    }
  }

  /** The token made for this data folder the first time, owner-only; the same one on every later start. */
  private static String keptToken(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file).strip();
        if (!kept.isEmpty()) {
          return kept;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the node's token " + file + ": " + e.getMessage(), e);
    }
    String token = newToken();
    io.garden.common.model.AtomicFiles.writeOwnerOnly(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
    return token;
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The Kafka settings of one more client of this node (a reader of the audit stream, say). */
  public KafkaSettings kafka(String component) {
    return context.kafka(component);
  }

  public String bootstrapServers() {
    return context.bootstrapServers();
  }

  public Vertx vertx() {
    return vertx;
  }

  public List<String> components() {
    return List.copyOf(factories.keySet());
  }

  /** What each component found at start, for /health (a build worker: its platforms and how it builds them). */
  public Map<String, Map<String, String>> about() {
    return ServicePart.about(factories.values());
  }

  /** Where the API answers: its bind address, or loopback when it listens on every interface. */
  public String url() {
    String host = GatewayConfig.everyInterface(bind) ? GatewayConfig.LOOPBACK : bind.contains(":") ? "[" + bind + "]" : bind;
    return "http://" + host + ":" + port;
  }

  /** Said after the URL when the API listens on more than the address printed. */
  String listening() {
    return GatewayConfig.everyInterface(bind) ? " (listening on every interface: " + bind + ")" : "";
  }

  public String token() {
    return token;
  }

  @Override
  public void close() {
    // A stop asked by interrupting the caller must still wait for the close: the flag is put back after.
    boolean interrupted = Thread.interrupted();
    try {
      vertx.close().await();
      if (embedded != null) {
        embedded.close();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
