package io.garden.cli;

import io.garden.common.config.GardenConfig;
import picocli.CommandLine;

/** Entry point of the {@code garden} command. The environment is read here, once. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(GardenConfig.fromEnv(System.getenv()), args));
  }

  /** Runs one command line; returns the exit code (0 ok, 1 findings or failure, 2 usage error). */
  public static int run(GardenConfig config, String... args) {
    CommandLine cli = new CommandLine(new GardenCommand(config));
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli.execute(args);
  }
}
