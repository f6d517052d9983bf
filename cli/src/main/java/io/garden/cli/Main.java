package io.garden.cli;

import io.garden.cli.remote.RemoteSettings;
import io.garden.common.config.GardenConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code garden} command. The environment is read here, once. */
public final class Main {

  private static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private Main() {
  }

  public static void main(String[] args) {
    // Parallel work (reading, parsing and checking extensions) runs on the common pool, which by default has one
    // thread fewer than there are cores and counts on the caller to make up the last one; the caller is often busy
    // with something else (listing the repository, printing), so a core sat idle. One worker per core keeps them
    // all busy (sync-compose + validate of 10,000 extensions: 4.3 → 3.6 s on 2 cores).
    if (System.getProperty(COMMON_PARALLELISM) == null) {
      System.setProperty(COMMON_PARALLELISM, String.valueOf(Runtime.getRuntime().availableProcessors()));
    }
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The one command with nothing to read or check: answered before any machinery starts.
      System.out.println(Version.text());
      System.exit(ExitCodes.OK);
    }
    int code;
    try {
      // The old Makefile's .env (in the folder garden runs in) and bucket names, as make read them.
      var applied = io.garden.common.config.OldToolchainSettings.apply(System.getenv(), java.nio.file.Path.of(""));
      if (!applied.ignored().isEmpty()) {
        System.err.println("garden: .env: not read from a repository's .env: " + String.join(", ", applied.ignored())
            + " (only registry and store settings are; set the others in your environment)");
      }
      // Traces only when OTEL_* says where to send them (garden up, gateway and worker are services too).
      io.garden.common.tracing.Tracing.start(applied.env(), "garden");
      code = run(GardenConfig.fromEnv(applied.env()), applied.env(), args);
    } catch (IllegalArgumentException e) {
      // A setting in the environment is wrong: say which, once.
      System.err.println(e.getMessage().startsWith("Error:") ? e.getMessage() : "Error: " + e.getMessage());
      code = ExitCodes.USAGE;
    }
    System.exit(code);
  }

  /** Runs one command line with this environment; returns the exit code. */
  static int run(GardenConfig config, java.util.Map<String, String> env, String... args) {
    // Buffered: a 10,000-extension report is 20,000 lines; commands flush when they are done or need to.
    return run(config, env, new PrintWriter(new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
  }

  /** Runs one command line; returns the exit code (0 ok, 1 findings or failure, 2 usage error). */
  public static int run(GardenConfig config, String... args) {
    return run(config, System.getenv(), args);
  }

  public static int run(GardenConfig config, PrintWriter out, PrintWriter err, String... args) {
    return run(config, System.getenv(), out, err, args);
  }

  public static int run(GardenConfig config, java.util.Map<String, String> env, PrintWriter out, PrintWriter err,
                        String... args) {
    CommandLine cli = new CommandLine(new GardenCommand(config, RemoteSettings.fromEnv(env), env));
    Subcommands.addFor(cli, args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setExecutionStrategy(parsed -> {
      java.util.Optional<String> disagreement = LegacyVariables.check(env, parsed);
      if (disagreement.isPresent()) {
        err.println(disagreement.get());
        return ExitCodes.USAGE;
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
