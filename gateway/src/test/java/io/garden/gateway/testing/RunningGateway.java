package io.garden.gateway.testing;

import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.GatewayService;
import io.garden.gateway.GatewayVerticle;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway service as {@code io.garden.gateway.Main} runs it (coordinator, HTTP server, commit-status reporter)
 * on a real broker, in the test's JVM, with a way to restart its HTTP server as a crash and a new start would.
 */
public final class RunningGateway implements AutoCloseable {

  private final Vertx vertx;
  private final Map<String, ServicePart> parts = new LinkedHashMap<>();
  private final Map<String, String> deployments = new LinkedHashMap<>();
  private volatile int port;
  private Vertx clients;
  private FakeWorkers workers;
  private EventTail events;

  private RunningGateway(Vertx vertx) {
    this.vertx = vertx;
  }

  public static RunningGateway start(Map<String, String> env, GardenConfig config, GatewayConfig gateway,
                                     String bootstrapServers) {
    ServiceContext context = new ServiceContext(config, bootstrapServers, env,
        new SourceCheckouts(config.sourceCache()));
    try (Admin admin = Admin.create(new KafkaSettings(bootstrapServers, "it-topics", "it").admin())) {
      new TopicBootstrapper(admin, TopicSettings.SINGLE_BROKER).ensureTopics();
    }
    RunningGateway running = new RunningGateway(Vertx.vertx());
    GatewayService.parts(context, gateway).forEach(p -> running.parts.put(p.name(), p));
    running.parts.keySet().forEach(name -> running.deploy(name));
    return running;
  }

  /**
   * The gateway service of a deployment on the test broker (this host, loopback, a free port, stores under
   * {@code storeFolder}), with stand-in workers answering it and a reader of its audit stream.
   */
  public static RunningGateway withFakeWorkers(Map<String, String> settings, Path storeFolder) {
    Map<String, String> env = new LinkedHashMap<>(settings);
    env.put("GARDEN_HOST", "it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(storeFolder);
    // A fixed free port, not 0: a restarted server answers where its clients were connected.
    RunningGateway running = start(env, config, GatewayConfig.fromEnv(env).withPort(freePort())
        .withBind(GatewayConfig.LOOPBACK), KafkaBroker.bootstrapServers());
    running.clients = Vertx.vertx();
    running.workers = FakeWorkers.start(running.clients, KafkaBroker.bootstrapServers());
    running.events = new EventTail(running.clients, KafkaBroker.bootstrapServers(), Topics.EVENTS);
    return running;
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public FakeWorkers workers() {
    return workers;
  }

  public EventTail events() {
    return events;
  }

  private void deploy(String name) {
    VerticleBase verticle = parts.get(name).verticle().get();
    deployments.put(name, vertx.deployVerticle(verticle).await());
    if (verticle instanceof GatewayVerticle server) {
      port = server.port();
    }
  }

  /**
   * Stops the HTTP server and starts a new one on the same port (as a restarted gateway behind its address), which
   * rebuilds what it knows from the audit stream.
   */
  public void restartServer() {
    restart(GatewayService.API);
  }

  /** Stops one part of the service ({@code coordinator}, the API) and starts a new one, as a restart would. */
  public void restart(String part) {
    vertx.undeploy(deployments.remove(part)).await();
    deploy(part);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    if (workers != null) {
      workers.close();
    }
    if (clients != null) {
      clients.close().await();
    }
    vertx.close().await();
  }
}
