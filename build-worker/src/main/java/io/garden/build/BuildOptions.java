package io.garden.build;

import java.time.Duration;
import java.util.Map;

/** Options of a build: build args, whether to ignore the cache, and how long one image may take. */
public record BuildOptions(Map<String, String> buildArgs, boolean noCache, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  public BuildOptions {
    buildArgs = Map.copyOf(buildArgs);
  }

  public static BuildOptions defaults() {
    return new BuildOptions(Map.of(), false, DEFAULT_TIMEOUT);
  }
}
