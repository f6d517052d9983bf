package io.garden.build;

import io.garden.common.Prerequisites;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a test class only where a container engine answers; reports it skipped with the reason otherwise —
 * except under CI=true, where a missing engine is an error (CI installs one: scripts/container-engine.sh).
 */
public final class RequiresEngine implements ExecutionCondition {

  private static final String PODMAN_SOCKET = "/run/garden-podman.sock";

  /** DOCKER_HOST, else the socket container-engine.sh starts, else Docker's. */
  public static String dockerHost() {
    String env = System.getenv("DOCKER_HOST");
    if (env != null && !env.isBlank()) {
      return env;
    }
    return Files.exists(Path.of(PODMAN_SOCKET)) ? "unix://" + PODMAN_SOCKET : "unix:///var/run/docker.sock";
  }

  /** GARDEN_IMAGE_REGISTRY, else the loopback registry container-engine.sh starts. */
  public static String imageRegistry() {
    String env = System.getenv("GARDEN_IMAGE_REGISTRY");
    return env == null || env.isBlank() ? "localhost:5000" : env;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    boolean up;
    try (Engine engine = new Engine(dockerHost())) {
      up = engine.available();
    } catch (IOException | RuntimeException e) {
      up = false;
    }
    if (up) {
      return ConditionEvaluationResult.enabled("container engine at " + dockerHost());
    }
    String reason = "no container engine answers at " + dockerHost()
        + " (start one with: scripts/container-engine.sh start)";
    if (Prerequisites.onCi()) {
      throw new IllegalStateException("CI=true but " + reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }
}
