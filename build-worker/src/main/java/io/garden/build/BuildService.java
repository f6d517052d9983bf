package io.garden.build;

import io.garden.common.platform.Platform;
import io.garden.build.suite.TestSandbox;
import io.garden.build.worker.BuildSteps;
import io.garden.build.worker.BuildWorkerVerticle;
import io.garden.common.engine.EngineProbe;
import io.garden.common.service.ServiceContext;
import io.garden.common.service.ServicePart;
import io.garden.common.worker.KafkaWorkerVerticle;

import java.util.List;
import java.util.Map;

/** What the build-worker service runs: one consumer of build requests, against the engine at DOCKER_HOST. */
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

  /** The parts, for a caller that has just seen the engine answer (no second probe). */
  public static List<ServicePart> partsWithEngine(ServiceContext context) {
    TestSandbox sandbox = TestSandbox.fromEnv(context.env());
    return List.of(new ServicePart(BuildWorkerVerticle.GROUP, () -> new BuildWorkerVerticle(
        context.kafka(BuildWorkerVerticle.GROUP), new BuildSteps(new Engine(context.config().dockerHost()),
        context.config().imageRegistry(), context.checkouts(), sandbox, context.config().pushPlatforms()),
        KafkaWorkerVerticle::exitProcess), platforms(context.config().dockerHost())));
  }

  /**
   * What /health says of this worker's platforms, found at start from its engine and binfmt_misc: each it can build,
   * and how ({@code linux/amd64: native}, {@code linux/arm64: emulated (qemu-aarch64)}).
   */
  static Map<String, String> platforms(String dockerHost) {
    try (Engine engine = new Engine(dockerHost)) {
      PlatformSupport support = new PlatformSupport(engine.nativePlatform(), PlatformSupport.BINFMT);
      Map<String, String> about = new java.util.LinkedHashMap<>();
      for (String name : Platform.KNOWN) {
        Platform platform = Platform.parse(name);
        if (support.how(platform) != PlatformSupport.How.MISSING) {
          about.put(name, support.describe(platform));
        }
      }
      return about;
    } catch (java.io.IOException | RuntimeException e) {
      return Map.of("platforms", "unknown: the engine did not say its platform (" + e.getMessage() + ")");
    }
  }
}
