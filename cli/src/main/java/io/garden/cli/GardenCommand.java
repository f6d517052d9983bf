package io.garden.cli;

import io.garden.common.config.ObservedEnvironment;
import io.garden.cli.remote.RemoteSettings;
import io.garden.common.config.GardenConfig;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code garden}: the root command; every feature is a subcommand (added as needed: see {@link Subcommands}). */
@Command(
    name = "garden",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Build, test, validate and publish Kamiwaza App Garden extensions.",
        "",
        "Commands work on the extensions repository in the current directory, or --repo PATH.",
        "Local commands call the rules directly (like make); `garden up` runs the event-driven pipeline.",
        "Short commands (validate, sync-compose, build-registry, ...) run on your warm background server after the",
        "first one; `garden --no-daemon COMMAND` or GARDEN_DAEMON=0 runs without it (see `garden daemon`)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:findings or a failed operation", "2:usage error"})
public final class GardenCommand implements Runnable {

  private final GardenConfig config;
  private final RemoteSettings remote;
  private final Map<String, String> env;

  @Spec
  CommandSpec spec;

  public GardenCommand(GardenConfig config, RemoteSettings remote, Map<String, String> env) {
    this.config = config;
    this.remote = remote;
    this.env = ObservedEnvironment.of(env);
  }

  public GardenConfig config() {
    return config;
  }

  public RemoteSettings remote() {
    return remote;
  }

  /** The environment, for the few settings read where they are used (the gateway's). */
  public Map<String, String> env() {
    return env;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
