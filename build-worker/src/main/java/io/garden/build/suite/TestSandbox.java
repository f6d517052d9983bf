package io.garden.build.suite;

import io.garden.common.config.NumberSetting;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How an extension's own tests are confined (SPEC §8): a container with no network unless a deployment allows the
 * host's, bounded memory, CPUs, processes and time. A repository's tests are anyone's code (a pull request), so
 * the defaults are the strict ones; read once from the environment.
 *
 * @param network    {@code none} (default) or {@code host} ({@code GARDEN_TEST_NETWORK})
 * @param memoryMb   {@code GARDEN_TEST_MEMORY_MB}, default 1024
 * @param cpus       {@code GARDEN_TEST_CPUS}, default 2
 * @param pids       processes at most, 512: a fork bomb ends there
 * @param timeout    {@code GARDEN_TEST_TIMEOUT_SECONDS}, default 600
 * @param toolImages the toolchain image each generated recipe starts from ({@code GARDEN_TEST_IMAGE_PYTHON},
 *                   {@code _NODE}, {@code _GO})
 */
public record TestSandbox(String network, long memoryMb, int cpus, long pids, Duration timeout,
                          Map<SuiteTool, String> toolImages) {

  public static final String NO_NETWORK = "none";

  public TestSandbox {
    if (!NO_NETWORK.equals(network) && !"host".equals(network)) {
      throw new IllegalArgumentException("GARDEN_TEST_NETWORK must be none (the default) or host, was '" + network
          + "'");
    }
    toolImages = Map.copyOf(toolImages);
  }

  public static TestSandbox fromEnv(Map<String, String> env) {
    Map<SuiteTool, String> images = new EnumMap<>(SuiteTool.class);
    images.put(SuiteTool.PYTEST, image(env, "GARDEN_TEST_IMAGE_PYTHON", "python:3.12-slim"));
    images.put(SuiteTool.NPM, image(env, "GARDEN_TEST_IMAGE_NODE", "node:22-slim"));
    images.put(SuiteTool.GO, image(env, "GARDEN_TEST_IMAGE_GO", "golang:1.23"));
    String network = env.getOrDefault("GARDEN_TEST_NETWORK", "").isBlank() ? NO_NETWORK
        : env.get("GARDEN_TEST_NETWORK").trim();
    return new TestSandbox(network,
        NumberSetting.read(env, "GARDEN_TEST_MEMORY_MB", 1024, 64, 1 << 20, "megabytes, at least 64"),
        (int) NumberSetting.read(env, "GARDEN_TEST_CPUS", 2, 1, 256, "a whole number of CPUs from 1 to 256"),
        512,
        Duration.ofSeconds(NumberSetting.read(env, "GARDEN_TEST_TIMEOUT_SECONDS", 600, 10, 86_400,
            "seconds, from 10 to 86400")),
        images);
  }

  /** The image a generated recipe for {@code tool} starts from. */
  public String imageFor(SuiteTool tool) {
    return toolImages.get(tool);
  }

  /** One line for output: "no network, 1024 MB, 2 CPUs, 600 s". */
  public String describe() {
    return (NO_NETWORK.equals(network) ? "no network" : "host network") + ", " + memoryMb + " MB, " + cpus
        + " CPUs, " + timeout.toSeconds() + " s";
  }

  private static String image(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
