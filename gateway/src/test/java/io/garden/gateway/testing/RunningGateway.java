package io.garden.gateway.testing;

import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.TopicSettings;
import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.GatewayConfig;
import io.garden.gateway.GatewayService;
import io.garden.gateway.GatewayVerticle;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

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

  private void deploy(String name) {
    VerticleBase verticle = parts.get(name).verticle().get();
    deployments.put(name, vertx.deployVerticle(verticle).await());
    if (verticle instanceof GatewayVerticle server) {
      port = server.port();
    }
  }

  /** Stops the HTTP server and starts a new one, which rebuilds what it knows from the audit stream. */
  public void restartServer() {
    vertx.undeploy(deployments.remove(GatewayService.API)).await();
    deploy(GatewayService.API);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
