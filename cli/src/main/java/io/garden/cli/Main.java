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
    useEveryCore();
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The one command with nothing to read or check: answered before any machinery starts.
      System.out.println(Version.text());
      System.exit(ExitCodes.OK);
    }
    System.exit(execute(Invocation.ofThisProcess(), System.out, System.err, args));
  }

  /** Set before anything touches the common pool (the warm server does the same). */
  public static void useEveryCore() {
    // Parallel work (reading, parsing and checking extensions) runs on the common pool, which by default has one
    // thread fewer than there are cores and counts on the caller to make up the last one; the caller is often busy
    // with something else (listing the repository, printing), so a core sat idle. One worker per core keeps them
    // all busy (sync-compose + validate of 10,000 extensions: 4.3 → 3.6 s on 2 cores).
    if (System.getProperty(COMMON_PARALLELISM) == null) {
      System.setProperty(COMMON_PARALLELISM, String.valueOf(Runtime.getRuntime().availableProcessors()));
    }
  }

  /**
   * One command line as a caller gave it, with the caller's folder and environment: the cold path (this process's)
   * and the warm server (the launcher's) both come here, so both print the same bytes.
   */
  public static int execute(Invocation invocation, java.io.OutputStream stdout, java.io.OutputStream stderr,
                            String... args) {
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    try {
      // The old Makefile's .env (in the folder garden runs in) and bucket names, as make read them.
      var applied = io.garden.common.config.OldToolchainSettings.apply(invocation.env(), invocation.cwd());
      if (!applied.ignored().isEmpty()) {
        err.println("garden: .env: not read from a repository's .env: " + String.join(", ", applied.ignored())
            + " (only registry and store settings are; set the others in your environment)");
      }
      // Traces only when OTEL_* says where to send them (the warm server leaves such commands to the cold path).
      io.garden.common.tracing.Tracing.start(applied.env(), "garden");
      // Buffered: a 10,000-extension report is 20,000 lines; commands flush when they are done or need to.
      PrintWriter out = new PrintWriter(new java.io.BufferedWriter(
          new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16));
      return run(GardenConfig.fromEnv(applied.env()), invocation.withEnv(applied.env()), out, err, args);
    } catch (IllegalArgumentException e) {
      // A setting in the environment is wrong: say which, once.
      err.println(e.getMessage().startsWith("Error:") ? e.getMessage() : "Error: " + e.getMessage());
      return ExitCodes.USAGE;
    } finally {
      err.flush();
    }
  }

  /**
   * Runs one command line in this process's folder with {@code env}; returns the exit code (0 ok, 1 findings or
   * failure, 2 usage error). For tests and in-process callers, which pass the configuration themselves.
   */
  public static int run(GardenConfig config, java.util.Map<String, String> env, PrintWriter out, PrintWriter err,
                        String... args) {
    return run(config, Invocation.ofThisProcess().withEnv(env), out, err, args);
  }

  static int run(GardenConfig config, Invocation invocation, PrintWriter out, PrintWriter err, String... args) {
    java.util.Map<String, String> env = invocation.env();
    CommandLine cli = new CommandLine(new GardenCommand(config, RemoteSettings.fromEnv(env), env));
    Subcommands.addFor(cli, args);
    // Paths on the command line are the caller's: relative to its folder, which is not this JVM's in the warm server.
    cli.registerConverter(java.nio.file.Path.class, given -> invocation.cwd().resolve(given));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ErrorHandler(env));
    cli.setParameterExceptionHandler(Main::usageError);
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

  /**
   * A command line garden cannot read, said in words: a mistyped command is named with the closest one ("Unknown
   * command 'validat'. Did you mean 'validate'?"), anything else with picocli's message and where help is. Exit 2.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine where = e.getCommandLine();
    PrintWriter err = where.getErr();
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && where.getParent() == null
        && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
      java.util.List<String> close = unmatched.getSuggestions();
      err.println("Unknown command '" + unmatched.getUnmatched().get(0) + "'."
          + (close.isEmpty() ? "" : " Did you mean '" + close.get(0) + "'?"));
      err.println("garden --help lists every command.");
      return ExitCodes.USAGE;
    }
    err.println(e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + where.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }
}
