package io.garden.common.service;

import io.garden.common.config.ObservedEnvironment;
import io.garden.common.config.GardenConfig;
import io.garden.common.config.KnownSettings.Component;
import io.garden.common.config.KnownSettings;
import io.garden.common.kafka.KafkaUnavailableException;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.source.SourceCheckouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How every service starts ({@code io.garden.<module>.Main}): check the environment against {@link KnownSettings}
 * (an unknown {@code GARDEN_*} variable or a missing required one stops it, naming the variable), make sure the topics
 * are laid out, deploy the service's verticles, then serve {@code /health} and {@code /metrics}. SIGTERM stops it
 * cleanly: /health turns 503, each worker finishes or hands back the record in hand and commits, then the process
 * exits.
 *
 * <p>Exit codes: 2 configuration, 1 could not start (Kafka unreachable, a port taken), 70 fatal at run time.
 */
public final class ServiceMain {

  private ServiceMain() {
  }

  /** The entry point of a service's {@code Main}: starts it, or says why not and exits. Returns once it runs. */
  public static void run(Component component, String[] args,
                         Function<ServiceContext, List<ServicePart>> composition) {
    if (args.length > 0) {
      boolean help = args[0].equals("--help") || args[0].equals("-h");
      (help ? System.out : System.err).print(usage(component));
      System.exit(help ? 0 : 2);
      return;
    }
    RunningService running;
    try {
      running = start(component, System.getenv(), composition);
    } catch (ConfigurationException | IllegalArgumentException e) {
      System.err.println(e.getMessage().startsWith(component.id()) ? e.getMessage()
          : component.id() + " cannot start with this configuration: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println(component.id() + " could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, component.id() + "-shutdown"));
  }

  /**
   * Starts {@code component} with {@code env}. Tests start services in-process through here; {@link #run} adds the
   * exits and the SIGTERM hook.
   */
  public static RunningService start(Component component, Map<String, String> given,
                                     Function<ServiceContext, List<ServicePart>> composition) {
    Map<String, String> env = withoutBlanks(given);
    // First, so that everything after logs as asked (GARDEN_LOG_LEVEL, GARDEN_LOG_FORMAT); a wrong value is a
    // configuration error like any other.
    ServiceLogging.selectAtStart(env);
    List<String> problems = KnownSettings.problems(env, component);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(component.id(), problems);
    }
    GardenConfig config = GardenConfig.fromEnv(env);
    int healthPort = HealthCheck.port(env);
    io.garden.common.tracing.Tracing.start(env, component.id());
    String servers = config.kafkaBootstrapServers();
    ServiceContext context = new ServiceContext(config, servers, env, new SourceCheckouts(config.sourceCache()));
    ensureTopics(context, component);

    List<ServicePart> parts = composition.apply(context);
    Vertx vertx = Vertx.vertx();
    HealthEndpoint health = HealthEndpoint.prepare(vertx, component, context.kafka(component.id() + "-ready"));
    RunningService running = new RunningService(component.id(), vertx, health);
    try {
      // Together, not one after another: a part's start may wait for it to catch up with the audit stream (the
      // gateway's coordinator does), and the part that listens must not wait for that; readiness says who is behind.
      List<String> names = parts.stream().map(ServicePart::name).toList();
      Future.all(parts.stream().map(part -> vertx.deployVerticle(part.verticle().get())).toList()).await();
      health.listen(vertx, component.id(), names, ServicePart.about(parts), running::stopping, healthPort);
      Logger log = LoggerFactory.getLogger(ServiceMain.class);
      log.info("{} started: {} against Kafka at {}; /health and /metrics on port {}", component.id(),
          String.join(", ", names), servers, running.healthPort());
      return running;
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
  }

  /** What the service reads, from {@link KnownSettings}: the one list, so this never goes stale. */
  static String usage(Component component) {
    StringBuilder text = new StringBuilder("Usage: " + component.id() + " (no arguments; configured by environment)\n"
        + "Runs the " + component.id() + " service against KAFKA_BOOTSTRAP_SERVERS until SIGTERM.\n\nSettings:\n");
    for (KnownSettings.Setting setting : KnownSettings.ALL) {
      if (setting.readBy(component)) {
        text.append(String.format("  %-34s %s%s%n", setting.name() + (setting.secret() ? "[_FILE]" : ""),
            setting.required().contains(component) ? "(required) " : "", setting.description()));
      }
    }
    return text.toString();
  }

  /**
   * A variable set to nothing is not set: compose files pass optional settings through as {@code ${X:-}}, and an
   * empty API URL or reply prefix must mean "the default", not "empty".
   */
  static Map<String, String> withoutBlanks(Map<String, String> env) {
    Map<String, String> set = new HashMap<>();
    env.forEach((name, value) -> {
      if (value != null && !value.isBlank()) {
        set.put(name, value);
      }
    });
    return ObservedEnvironment.derived(env, set);
  }

  private static void ensureTopics(ServiceContext context, Component component) {
    try (Admin admin = Admin.create(context.kafka(component.id() + "-start").admin())) {
      new TopicBootstrapper(admin, context.config().topics()).ensureTopics();
    } catch (KafkaUnavailableException e) {
      throw new IllegalStateException("Kafka at KAFKA_BOOTSTRAP_SERVERS=" + context.bootstrapServers()
          + " did not answer (" + e.getMessage() + "); start it first, or check the address", e);
    }
  }

}
