package io.garden.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code garden bench startup}: what a person feels on every commit — each short command started afresh through the
 * launcher, as a shell would, timed from outside; medians, and peak resident memory when {@code /usr/bin/time} is
 * there to measure it.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
    description = {
        "Run `garden --version`, `garden validate`, `garden sync-compose --check` and `garden build-registry` on",
        "--repo, each as a new process through the launcher, --runs times; print the median wall time and peak",
        "resident memory of each, and what the launcher itself adds. Make a corpus with:",
        "python3 ../shared/bench/gen_corpus.py OUT 20 7 (then garden sync-compose --repo OUT once)."})
final class BenchStartup implements Callable<Integer> {

  @ParentCommand
  BenchCommand bench;

  @Mixin
  RepoOption repo;

  @Option(names = "--runs", defaultValue = "10", description = "Runs of each command (default: 10).")
  int runs;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = bench.spec.commandLine().getOut();
    String launcher = System.getenv("GARDEN_LAUNCHER");
    if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
      throw new IllegalArgumentException("Error: run this through the garden launcher (./garden or bin/garden):"
          + " it measures commands started the way people start them");
    }
    Path root = repo.root();
    out.printf(Locale.ROOT, "launcher: %s; repository: %s; %d runs each; cores: %d%n", launcher, root, runs,
        Runtime.getRuntime().availableProcessors());
    List<List<String>> commands = List.of(List.of("--version"), List.of("validate", "--repo", root.toString()),
        List.of("sync-compose", "--check", "--repo", root.toString()),
        List.of("build-registry", "--repo", root.toString()));
    for (List<String> command : commands) {
      List<String> line = new ArrayList<>(List.of(launcher));
      line.addAll(command);
      Measured m = measure(line);
      out.printf(Locale.ROOT, "garden %-22s median %4d ms (min %d, max %d), peak RSS %s, exit %d%n",
          command.get(0) + (command.size() > 1 && command.get(1).startsWith("--c") ? " --check" : ""), m.median(),
          m.min(), m.max(), m.rssKb() < 0 ? "n/a" : (m.rssKb() / 1024) + " MB", m.exit());
      out.flush();
    }
    String direct = System.getenv("GARDEN_DIRECT_COMMAND");
    if (direct != null) {
      List<String> line = new ArrayList<>(List.of(direct.split("\u001f")));
      line.add("--version");
      Measured viaLauncher = measure(List.of(launcher, "--version"));
      Measured without = measure(line);
      out.printf(Locale.ROOT, "launcher overhead: %d ms (--version through the launcher %d ms, the same java"
          + " command directly %d ms)%n", viaLauncher.median() - without.median(), viaLauncher.median(),
          without.median());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private record Measured(long median, long min, long max, long rssKb, int exit) {
  }

  private Measured measure(List<String> command) throws IOException, InterruptedException {
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
        Process process = new ProcessBuilder(line).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        exit = process.waitFor();
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
