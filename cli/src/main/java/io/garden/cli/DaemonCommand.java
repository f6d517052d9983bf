package io.garden.cli;

import io.garden.cli.warm.WarmServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code garden daemon status|stop}: the user's warm servers, seen and stopped. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {"Show or stop your warm servers (the JVMs that run short commands quickly).",
        "",
        "Short commands (validate, sync-compose, build-registry, ...) run on a warm server after the first one;",
        "it stops by itself after GARDEN_DAEMON_IDLE_MINUTES (60) without work. GARDEN_DAEMON=0 or",
        "`garden --no-daemon COMMAND` runs without one."},
    subcommands = {DaemonCommand.Status.class, DaemonCommand.Stop.class})
final class DaemonCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Override
  public Integer call() {
    throw new IllegalArgumentException("Error: say what to do: garden daemon status, or garden daemon stop");
  }

  /** The launcher names this version's state file; its folder holds every version's. */
  Path stateFile() {
    String state = parent.env().get("GARDEN_WARM_STATE");
    if (state == null || state.isBlank()) {
      throw new IllegalArgumentException("Error: no warm-server folder is known here: run this through the garden"
          + " launcher (garden, ./garden or bin/garden), with a folder of your own for it (HOME, XDG_RUNTIME_DIR or"
          + " GARDEN_DAEMON_DIR set; without one every command runs cold)");
    }
    return Path.of(state);
  }

  /** One line per running server (or {@code none} when there is none). */
  int eachServer(String none, java.util.function.Function<WarmServers.Server, String> line) {
    PrintWriter out = parent.spec.commandLine().getOut();
    List<WarmServers.Server> servers = WarmServers.in(stateFile().getParent());
    if (servers.isEmpty()) {
      out.println(none);
    }
    servers.forEach(server -> out.println(line.apply(server)));
    out.flush();
    return ExitCodes.OK;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "List your warm servers.")
  static final class Status implements Callable<Integer> {

    @ParentCommand
    DaemonCommand daemon;

    @Override
    public Integer call() {
      Path state = daemon.stateFile();
      return daemon.eachServer("no warm server is running (the next short command starts one)",
          server -> (server.stateFile().equals(state) ? "this version: " : "another version: ") + server.describe());
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop your warm servers (every version); the next short command starts a new one.")
  static final class Stop implements Callable<Integer> {

    @ParentCommand
    DaemonCommand daemon;

    @Override
    public Integer call() {
      return daemon.eachServer("no warm server is running",
          server -> {
            String described = server.describe();  // before it stops: a gone process has no start time
            return (server.stop() ? "stopped " : "could not stop ") + described;
          });
    }
  }
}
