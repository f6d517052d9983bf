package io.garden.cli;

import io.garden.common.config.ObservedEnvironment;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where one command runs: the caller's working folder and environment. The short commands read both from here,
 * never from the JVM, because the warm server ({@link io.garden.cli.warm.WarmServer}) runs them for callers in other
 * folders with other environments (the long ones, `up`, `gateway`, `worker`, always run in a JVM of their own).
 *
 * @param cwd absolute; relative paths given on the command line resolve against it
 */
public record Invocation(Path cwd, Map<String, String> env) {

  public Invocation {
    if (!cwd.isAbsolute()) {
      throw new IllegalArgumentException("the working folder must be absolute: " + cwd);
    }
    env = ObservedEnvironment.of(env);
  }

  /** This process's folder and environment: the cold path. */
  public static Invocation ofThisProcess() {
    return new Invocation(Path.of("").toAbsolutePath(), System.getenv());
  }

  public Invocation withEnv(Map<String, String> newEnv) {
    return new Invocation(cwd, newEnv);
  }
}
