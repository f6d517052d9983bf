package io.garden.build;

import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import io.garden.build.suite.TestSandbox;
import io.garden.build.worker.BuildSteps;
import io.garden.build.worker.BuildWorkerVerticle;
import io.garden.common.engine.EngineProbe;
import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.worker.KafkaWorkerVerticle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the build-worker service runs, against the engine at DOCKER_HOST: one consumer of build requests, and one of
 * push units for each platform it builds.
 */
public final class BuildService {

  private BuildService() {
  }

  /** @throws IllegalStateException when no engine answers: a build worker without one would fail every request */
  public static List<ServicePart> parts(ServiceContext context) {
    String absent = EngineProbe.absence(context.config().dockerHost());
    if (absent != null) {
      throw noEngine(absent);
    }
    return partsWithEngine(context);
  }

  /** Why a build worker cannot start, from {@link EngineProbe#absence}'s reason, and what to do. */
  public static IllegalStateException noEngine(String absence) {
    return new IllegalStateException(absence + ": a build worker needs one (mount the Docker socket, or"
        + " scripts/container-engine.sh start, then DOCKER_HOST=...)");
  }

  /**
   * The parts, for a caller that has just seen the engine answer (no second probe): the consumer of build requests,
   * and one consumer of push units per platform this worker builds: each platform of {@code GARDEN_PLATFORMS} its
   * engine builds natively or by emulation. One it cannot build is left to other workers, and said in /health.
   */
  public static List<ServicePart> partsWithEngine(ServiceContext context) {
    TestSandbox sandbox = TestSandbox.fromEnv(context.env());
    String dockerHost = context.config().dockerHost();
    PlatformSupport support = support(dockerHost);
    BuildSteps steps = new BuildSteps(new Engine(dockerHost), context.config().imageRegistry(), context.checkouts(),
        sandbox, context.config().pushPlatforms());
    List<ServicePart> parts = new ArrayList<>();
    parts.add(new ServicePart(BuildWorkerVerticle.GROUP, () -> new BuildWorkerVerticle(
        context.kafka(BuildWorkerVerticle.GROUP), steps, KafkaWorkerVerticle::exitProcess), about(support,
        context.config().pushPlatforms())));
    if (support != null) {
      for (Platform platform : context.config().pushPlatforms().list()) {
        PlatformSupport.How how = support.how(platform);
        if (how != PlatformSupport.How.MISSING) {
          String group = ConsumerGroups.platformBuild(platform);
          parts.add(new ServicePart(group, () -> BuildWorkerVerticle.forPlatform(context.kafka(group), platform,
              how == PlatformSupport.How.NATIVE, steps, KafkaWorkerVerticle::exitProcess)));
        }
      }
    }
    return List.copyOf(parts);
  }

  private static PlatformSupport support(String dockerHost) {
    try (Engine engine = new Engine(dockerHost)) {
      return new PlatformSupport(engine.nativePlatform(), PlatformSupport.BINFMT);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * What /health says of this worker's platforms, found at start from its engine and binfmt_misc: each it can build,
   * and how ({@code linux/amd64: native}, {@code linux/arm64: emulated (qemu-aarch64)}), and which of
   * {@code GARDEN_PLATFORMS} it leaves to other workers.
   */
  static Map<String, String> about(PlatformSupport support, Platforms wanted) {
    if (support == null) {
      return Map.of("platforms", "unknown: the engine did not say its platform; this worker takes no push units");
    }
    Map<String, String> about = new LinkedHashMap<>();
    for (String name : Platform.KNOWN) {
      Platform platform = Platform.parse(name);
      if (support.how(platform) != PlatformSupport.How.MISSING) {
        about.put(name, support.describe(platform) + (wanted.list().contains(platform) ? "" : ", not in"
            + " GARDEN_PLATFORMS: takes none of its push units"));
      } else if (wanted.list().contains(platform)) {
        about.put(name, "missing: left to other build workers (no qemu-" + platform.qemuName() + " registered)");
      }
    }
    return about;
  }
}
