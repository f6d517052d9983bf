package io.garden.common.service;

import io.garden.common.config.KnownSettings.Component;
import io.garden.common.kafka.KafkaSettings;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.kafka.clients.admin.Admin;

import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}, {@code /ready} and {@code /metrics} of a running component, however it was started: a service
 * image ({@link ServiceMain}) or {@code garden gateway} / {@code garden worker}. Owns the metrics registry, the
 * readiness probe and its Kafka admin client, and the small HTTP server that answers them.
 */
public final class HealthEndpoint implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final Admin admin;
  private final KafkaProbe probe;
  private HttpServer server;

  private HealthEndpoint(PrometheusMeterRegistry registry, Admin admin, KafkaProbe probe) {
    this.registry = registry;
    this.admin = admin;
    this.probe = probe;
  }

  /** The registry and the probe, before the component's parts start (they count on the global registry). */
  public static HealthEndpoint prepare(Vertx vertx, Component component, KafkaSettings kafka) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", component.id());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // The workers count their records on the global registry (they also run inside the CLI).
    Metrics.addRegistry(registry);
    Admin admin = Admin.create(kafka.admin());
    return new HealthEndpoint(registry, admin, KafkaProbe.cluster(vertx, admin));
  }

  /**
   * Listens on {@code port} (0: any free one).
   *
   * @throws IllegalStateException naming the port and the setting when it is taken
   */
  public HealthEndpoint listen(Vertx vertx, String service, List<String> parts, BooleanSupplier stopping, int port) {
    return listen(vertx, service, parts, java.util.Map.of(), stopping, port);
  }

  /** @param about facts per part, shown by /health (what {@link ServicePart#about()} found) */
  public HealthEndpoint listen(Vertx vertx, String service, List<String> parts,
                               java.util.Map<String, java.util.Map<String, String>> about, BooleanSupplier stopping,
                               int port) {
    try {
      server = new HealthServer(service, parts, about, registry, stopping, probe::problems).listen(vertx, port)
          .await();
    } catch (Exception e) { // Vert.x hands the BindException back as it is, unchecked
      if (e instanceof BindException || e.getCause() instanceof BindException
          || String.valueOf(e.getMessage()).contains("Address already in use")) {
        throw new IllegalStateException("port " + port + " for /health, /ready and /metrics is taken: set"
            + " GARDEN_HEALTH_PORT to a free port (0 picks one)", e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public void close() {
    probe.close();
    admin.close(Duration.ofSeconds(2));
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
