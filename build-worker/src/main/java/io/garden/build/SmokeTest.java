package io.garden.build;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import io.garden.build.SmokePlans.Plan;
import io.garden.common.model.ImageRef;
import io.garden.common.model.Stage;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The container smoke test (SPEC §8): start the built images as compose would (environment, named volumes,
 * depends_on order) and require every service healthy — its own healthcheck, or HTTP 200 on {@code /health} on its
 * first container port — within the limit (App Garden's start-up limit is 60 s). Logs are collected and everything
 * started is removed, whatever happens, and at once on cancel.
 *
 * <p>Some engines never run a HEALTHCHECK (Podman without systemd leaves every container "starting"): garden then
 * runs the check itself inside the container, as the engine would have, so the verdict is the extension's own.
 */
public final class SmokeTest {

  public static final Duration APP_GARDEN_LIMIT = Duration.ofSeconds(60);

  /** One service's outcome. */
  public record ServiceResult(String service, boolean healthy, String detail, List<String> logs) {
  }

  /** The whole smoke test. */
  public record Result(boolean passed, List<ServiceResult> services, long durationMs) {
  }

  private SmokeTest() {
  }

  public static Result run(Engine engine, LoadedExtension e, Duration limit) {
    return run(engine, e, limit, line -> { }, Cancellation.none());
  }

  /**
   * @param progress     a line every few seconds while services are not healthy yet (a wait can be a minute)
   * @param cancellation removes the containers when the pipeline is cancelled, which ends the wait
   */
  public static Result run(Engine engine, LoadedExtension e, Duration limit, java.util.function.Consumer<String> progress,
                           Cancellation cancellation) {
    return run(engine, e, Stage.DEV.tag(ServiceDiscovery.version(e)), limit, progress, cancellation);
  }

  /**
   * @param ownTag the tag the extension's own images are tested under: {@code 1.0.0-dev} as {@code garden build}
   *               left them, or one platform's build of a push ({@code 1.0.0-stage-linux-arm64})
   */
  public static Result run(Engine engine, LoadedExtension e, String ownTag, Duration limit,
                           java.util.function.Consumer<String> progress, Cancellation cancellation) {
    Map<String, Object> compose = e.appgarden().orElseThrow(() -> new IllegalArgumentException(e.ref().id()
        + ": no docker-compose.appgarden.yml to start; run: garden sync-compose"));
    List<Plan> plans = SmokePlans.plans(compose, ownTag);
    requireImages(engine, e, plans);
    String run = "garden-smoke-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> containers = new LinkedHashMap<>();
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    Set<String> volumes = new LinkedHashSet<>();
    long started = System.nanoTime();
    // A network of its own, as compose gives a project: a busy port of the host or a parallel test cannot collide.
    String network = ownNetwork(engine, run, progress);
    try {
      for (Plan p : plans) {
        List<Bind> binds = new ArrayList<>();
        p.volumes().forEach((name, path) -> {
          String volume = run + "-" + name;
          if (volumes.add(volume)) {
            engine.createVolume(volume);
          }
          binds.add(Engine.namedVolume(volume, path));
        });
        cancellation.check("the smoke test of " + e.ref().id());
        String id = engine.run(run + "-" + p.service(), p.image(), p.env(), binds, p.entrypoint(), p.command(),
            network, p.service(), p.port());
        containers.put(p.service(), id);
        cancellation.onCancel(() -> engine.removeContainer(id));
        if (p.port() != null) {
          hostPorts.put(p.service(), network == null ? p.port() : engine.hostPort(id, p.port()));
        }
      }
      Map<String, String> pending = waitHealthy(engine, plans, containers, hostPorts, limit, progress,
          cancellation);
      cancellation.check("the smoke test of " + e.ref().id());
      List<ServiceResult> results = new ArrayList<>();
      for (Plan p : plans) {
        String problem = pending.get(p.service());
        results.add(new ServiceResult(p.service(), problem == null, problem == null ? "healthy" : problem,
            engine.logs(containers.get(p.service()), 50)));
      }
      return new Result(pending.isEmpty(), results, (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException failure) {
      // A cancel removes the containers under the engine calls in flight (an exec, an inspect): what they then
      // say ("no such container") is the cancel, not a failure of the extension.
      cancellation.check("the smoke test of " + e.ref().id());
      throw failure;
    } finally {
      containers.values().forEach(engine::removeContainer);
      volumes.forEach(engine::removeVolume);
      if (network != null) {
        engine.removeNetwork(network);
      }
    }
  }

  /** The smoke test's own network, or null (the host's) when the engine cannot make one, said once. */
  private static String ownNetwork(Engine engine, String name, java.util.function.Consumer<String> progress) {
    try {
      engine.createNetwork(name);
      return name;
    } catch (RuntimeException e) {
      progress.accept("… on the host's network: the engine could not make one for this test (" + e.getMessage()
          + ")");
      return null;
    }
  }

  /** Where one service's checks stand: when the next is due, and how many failed in a row. */
  private static final class Watch {
    final HealthPolicy policy;
    long nextAt;
    int failures;

    Watch(HealthPolicy policy, long nextAt) {
      this.policy = policy;
      this.nextAt = nextAt;
    }
  }

  /**
   * Waits until every service is healthy, each checked on its own schedule (its healthcheck's interval; HTTP
   * {@code /health} every second): returns what is still wrong per service (empty: all healthy). A service whose
   * healthcheck failed {@code retries} times in a row after its start period is unhealthy at once, as the engine
   * would mark it, rather than waited for until the limit.
   */
  private static Map<String, String> waitHealthy(Engine engine, List<Plan> plans, Map<String, String> containers,
                                                 Map<String, Integer> hostPorts, Duration limit,
                                                 java.util.function.Consumer<String> progress,
                                                 Cancellation cancellation) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long nextReport = start + PROGRESS_EVERY.toNanos();
    Map<String, String> pending = new LinkedHashMap<>();
    plans.forEach(p -> pending.put(p.service(), "not healthy within " + limit.toSeconds() + " s"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Map<String, Watch> watches = new LinkedHashMap<>();
    for (Plan p : plans) {
      String id = containers.get(p.service());
      HealthPolicy policy = p.health().or(() -> engine.containerHealthcheck(id).flatMap(HealthPolicy::fromImage))
          .orElse(null);
      watches.put(p.service(), new Watch(policy, start + FIRST_CHECK.toNanos()));
    }
    while (!pending.isEmpty() && !cancellation.isCancelled()) {
      long now = System.nanoTime();
      for (Plan p : plans) {
        Watch watch = watches.get(p.service());
        // The last check runs at the limit, whatever the interval: the verdict is never older than it has to be.
        if (!pending.containsKey(p.service()) || now < Math.min(watch.nextAt, deadline)) {
          continue;
        }
        String id = containers.get(p.service());
        InspectContainerResponse.ContainerState state = engine.state(id);
        if (!Boolean.TRUE.equals(state.getRunning())) {
          pending.put(p.service(), "exited with code " + state.getExitCodeLong() + " before becoming healthy");
          return pending;
        }
        if (healthy(engine, http, p, hostPorts.get(p.service()), id, watch.policy, state)) {
          pending.remove(p.service());
          continue;
        }
        watch.failures++;
        if (watch.policy != null && watch.policy.unhealthy(watch.failures, Duration.ofNanos(now - start))) {
          pending.put(p.service(), "unhealthy: its healthcheck failed " + watch.failures + " times in a row");
          return pending;
        }
        watch.nextAt = now + (watch.policy == null ? HTTP_EVERY : watch.policy.interval()).toNanos();
      }
      now = System.nanoTime();
      if (pending.isEmpty() || now > deadline) {
        return pending;
      }
      if (now > nextReport) {
        nextReport += PROGRESS_EVERY.toNanos();
        progress.accept("… waiting for " + String.join(", ", pending.keySet()) + " to be healthy ("
            + (now - start) / 1_000_000_000L + " s of " + limit.toSeconds() + " s)");
      }
      long due = watches.entrySet().stream().filter(w -> pending.containsKey(w.getKey()))
          .mapToLong(w -> w.getValue().nextAt).min().orElse(now);
      long wake = Math.max(now + MIN_WAIT.toNanos(), Math.min(due, deadline));
      try {
        Thread.sleep(Math.max(1, (wake - now) / 1_000_000));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return pending;
      }
    }
    return pending;
  }

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Duration CHECK_LIMIT = Duration.ofSeconds(10);
  /** The first check of each service, a moment after it started. */
  private static final Duration FIRST_CHECK = Duration.ofSeconds(1);
  private static final Duration HTTP_EVERY = Duration.ofSeconds(1);
  private static final Duration MIN_WAIT = Duration.ofMillis(200);

  private static boolean healthy(Engine engine, HttpClient http, Plan p, Integer hostPort, String id,
                                 HealthPolicy policy, InspectContainerResponse.ContainerState s) {
    if (p.health().isEmpty() && s.getHealth() != null && "healthy".equals(s.getHealth().getStatus())) {
      return true;
    }
    if (policy != null) {
      // Whether or not the engine runs it, the check's own answer decides (an engine that never runs it would
      // leave the service "starting" for ever); the compose file's healthcheck over the image's, as compose does.
      Duration timeout = policy.timeout().compareTo(CHECK_LIMIT) < 0 ? policy.timeout() : CHECK_LIMIT;
      Integer exit = engine.exec(id, policy.command(), timeout);
      return exit != null && exit == 0;
    }
    if (p.port() == null) {
      return true; // Nothing to ask: running is all we can know.
    }
    if (hostPort == null) {
      return false; // Its port was not published: it cannot be asked, and is not called healthy unasked.
    }
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (java.io.IOException ex) {
      return false;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Every image the test starts is on the engine, or the test stops before starting any, saying which is missing
   * and how to get it (the engine's own answer is a 404 with JSON in it).
   */
  private static void requireImages(Engine engine, LoadedExtension e, List<Plan> plans) {
    for (Plan p : plans) {
      if (engine.imageExists(p.image())) {
        continue;
      }
      ImageRef ref = ImageRef.parse(p.image());
      String how = ref != null && ref.isOwn()
          ? "run: garden build " + e.ref().type().id() + " " + e.ref().name()
          : "pull it first (docker pull " + p.image() + ")";
      throw new IllegalStateException(e.ref().id() + ": the image " + p.image() + " of service '" + p.service()
          + "' is not on the engine at " + engine.host() + "; " + how);
    }
  }
}
