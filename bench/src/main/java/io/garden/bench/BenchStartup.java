package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.RepoOption;
import io.garden.cli.warm.WarmServers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code garden bench startup}: what a person feels on every commit — each short command started afresh through the
 * launcher, as a shell would, timed from outside: cold (a JVM per command, {@code GARDEN_DAEMON=0}), warm (through
 * the warm server, which this bench starts in a private state folder and stops), and, with {@code --against DIR},
 * the old toolchain's make targets in DIR, side by side in one run; medians, ratios, and peak resident memory when
 * {@code /usr/bin/time} is there to measure it.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
    description = {
        "Run `garden --version`, `garden validate`, `garden sync-compose --check` and `garden build-registry --stage",
        "prod` on --repo, each as a new process through the launcher, cold and warm, --runs times; print medians,",
        "the warm/cold ratio, what the launcher itself costs, and with --against the ratios to the old toolchain.",
        "Make a corpus with: python3 ../shared/bench/gen_corpus.py OUT 20 7 (then garden sync-compose --repo OUT)."})
final class BenchStartup implements Callable<Integer> {

  /** How the old toolchain ran each command (MIGRATING.md's table), in a checkout of it. */
  private static final Map<String, List<String>> OLD = new java.util.LinkedHashMap<>();

  static {
    OLD.put("validate", List.of("make", "-s", "validate"));
    OLD.put("sync-compose --check", List.of("make", "-s", "check-compose"));
    OLD.put("build-registry --stage prod", List.of("make", "-s", "build-registry", "STAGE=prod"));
  }

  @ParentCommand
  BenchCommand bench;

  @Mixin
  RepoOption repo;

  @Option(names = "--runs", defaultValue = "10", description = "Runs of each command (default: 10).")
  int runs;

  @Option(names = "--against", paramLabel = "DIR", description = {"A checkout of the old toolchain (its Makefile and",
      "scripts) holding the same extensions as --repo: its make targets run beside garden's commands."})
  Path against;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    String launcher = bench.root().env().get("GARDEN_LAUNCHER");
    if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
      throw new IllegalArgumentException("Error: run this through the garden launcher (./garden or bin/garden):"
          + " it measures commands started the way people start them");
    }
    if (against != null && !Files.isRegularFile(against.resolve("Makefile"))) {
      throw new IllegalArgumentException("--against " + against + ": no Makefile there; give a checkout of the old"
          + " toolchain (its Makefile and scripts/) holding the same extensions as --repo");
    }
    Path root = repo.root();
    out.printf(Locale.ROOT, "launcher: %s; repository: %s; %d runs each; cores: %d%n", launcher, root, runs,
        Runtime.getRuntime().availableProcessors());
    Path state = Files.createTempDirectory("garden-bench-warm");
    try {
      Map<String, String> cold = Map.of("GARDEN_DAEMON", "0");
      Map<String, String> warm = Map.of("GARDEN_DAEMON", "1", "GARDEN_DAEMON_DIR", state.toString());
      startWarmServer(launcher, warm, state);
      out.printf(Locale.ROOT, "%-28s %9s %9s %8s %s%n", "command", "cold", "warm", "cold/warm",
          against == null ? "" : "   old      old/warm  old/cold");
      for (List<String> command : List.of(List.of("--version"), List.of("validate"),
          List.of("sync-compose", "--check"), List.of("build-registry", "--stage", "prod"))) {
        List<String> line = new ArrayList<>(List.of(launcher));
        line.addAll(command);
        if (!command.get(0).startsWith("-")) {
          line.addAll(List.of("--repo", root.toString()));
        }
        String name = String.join(" ", command);
        Measured c = measure(line, cold, root);
        Measured w = measure(line, warm, root);
        String old = "";
        if (against != null && OLD.containsKey(name)) {
          Measured o = measure(OLD.get(name), Map.of(), against);
          old = String.format(Locale.ROOT, " %5d ms  %6.1fx  %6.1fx", o.median(), ratio(o, w), ratio(o, c));
        }
        out.printf(Locale.ROOT, "%-28s %6d ms %6d ms %7.1fx %s   (exit %d/%d; peak RSS cold %s)%n", name,
            c.median(), w.median(), ratio(c, w), old, c.exit(), w.exit(), mb(c.rssKb()));
        out.flush();
      }
      Measured shell = measure(List.of("bash", "-c", "true"), Map.of(), root);
      out.printf(Locale.ROOT, "the launcher's own cost: at most %d ms (a warm --version end to end, server included;"
          + " bash alone starts in %d ms)%n", measure(List.of(launcher, "--version"), warm, root).median(),
          shell.median());
      if (against != null) {
        out.printf(Locale.ROOT, "old toolchain: %s (%s)%n", against, String.join("; ",
            OLD.values().stream().map(line -> String.join(" ", line)).toList()));
      }
    } finally {
      stopWarmServer(state);
      io.garden.common.model.FileTrees.delete(state);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static double ratio(Measured slower, Measured faster) {
    return (double) slower.median() / Math.max(1, faster.median());
  }

  private static String mb(long kb) {
    return kb < 0 ? "n/a" : (kb / 1024) + " MB";
  }

  /**
   * The first warm run starts the server (that run is cold); then wait, woken by its files changing, until it serves
   * and is done with its warm-up (which would otherwise share the cores with the first measurements).
   */
  private void startWarmServer(String launcher, Map<String, String> warm, Path state) throws Exception {
    try (java.nio.file.WatchService changes = state.getFileSystem().newWatchService()) {
      state.register(changes, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
          java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
      run(List.of(launcher, "--version"), warm, state);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!warmedUp(state)) {
        long left = deadline - System.nanoTime();
        java.nio.file.WatchKey key = left <= 0 ? null
            : changes.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (key == null) {
          throw new IllegalStateException("the warm server did not start in 60 s (see its log in " + state + ")");
        }
        key.pollEvents();
        key.reset();
      }
    }
  }

  private static boolean warmedUp(Path state) {
    List<WarmServers.Server> servers = WarmServers.in(state);
    return !servers.isEmpty() && servers.get(0).warmedUp();
  }

  private static void stopWarmServer(Path state) {
    WarmServers.in(state).forEach(WarmServers.Server::stop);
  }

  private static int run(List<String> command, Map<String, String> env, Path dir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    return builder.start().waitFor();
  }

  private record Measured(long median, long min, long max, long rssKb, int exit) {
  }

  private Measured measure(List<String> command, Map<String, String> env, Path dir) throws Exception {
    boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
    List<Long> millis = new ArrayList<>();
    long rss = -1;
    int exit = 0;
    Path report = Files.createTempFile("garden-bench-startup", ".txt");
    try {
      // Two runs first, not counted: the file cache and this JVM's own start-up work settle.
      for (int i = -2; i < runs; i++) {
        List<String> line = new ArrayList<>();
        if (timed) {
          line.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", report.toString()));
        }
        line.addAll(command);
        long started = System.nanoTime();
        exit = run(line, env, dir);
        if (i < 0) {
          continue;
        }
        millis.add((System.nanoTime() - started) / 1_000_000);
        if (timed) {
          rss = Math.max(rss, lastNumber(Files.readString(report)));
        }
      }
    } finally {
      Files.deleteIfExists(report);
    }
    Collections.sort(millis);
    return new Measured(millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1), rss, exit);
  }

  /** /usr/bin/time writes "Command exited with non-zero status N" before the figure when a command fails. */
  private static long lastNumber(String text) {
    String[] lines = text.strip().split("\n");
    try {
      return Long.parseLong(lines[lines.length - 1].strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
