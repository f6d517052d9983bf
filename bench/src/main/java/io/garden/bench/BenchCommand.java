package io.garden.bench;

import io.garden.cli.ExitCodes;
import io.garden.cli.GardenCommand;
import io.garden.cli.RepoOption;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.Selection;
import io.garden.extension.SyncOutcome;
import io.garden.extension.SyncThenValidate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code garden bench}: performance figures for the pipeline's hot paths, printed, never asserted in tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks with printed figures (see docs/PERFORMANCE.md).",
    subcommands = {BenchCommand.Validate.class, BenchPublish.class, BenchGateway.class, BenchWebhooks.class,
        BenchStartup.class, BenchRestart.class, BenchStreams.class, BenchBuildPlatforms.class})
final class BenchCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The root command: the configuration and environment garden was started with. */
  GardenCommand root() {
    return (GardenCommand) spec.root().userObject();
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = {
          "sync-compose (writing) then validate every extension of --repo, then warm rounds of",
          "sync-compose --check + validate; prints wall time per phase, per extension, and peak heap.",
          "Make a corpus with: python3 ../shared/bench/gen_corpus.py OUT 10000"})
  static final class Validate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOption repo;

    @Option(names = "--rounds", defaultValue = "5", description = "Warm rounds after the first (default: 5).")
    int rounds;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      long t0 = System.nanoTime();
      Selection selection = Selection.all(new ExtensionDiscovery(repo.root()));
      int n = selection.extensions().size();
      if (n == 0) {
        throw new IllegalArgumentException("no extensions under " + repo.root());
      }
      long t1 = System.nanoTime();
      SyncThenValidate.Outcome first = SyncThenValidate.run(selection, false);
      long t2 = System.nanoTime();
      long written = first.sync().stream().filter(r -> r.outcome() == SyncOutcome.WRITTEN).count();
      out.printf(Locale.ROOT, "extensions: %d (%d appgarden files written; %d errors, %d warnings)%n", n, written,
          first.report().errorCount(), first.report().warningCount());
      out.printf(Locale.ROOT, "first run (cold JVM): discover %.0f ms, sync-compose + validate %.0f ms,"
          + " total %.0f ms = %.3f ms/extension%n", ms(t1 - t0), ms(t2 - t1), ms(t2 - t0), ms(t2 - t0) / n);
      double best = Double.MAX_VALUE;
      for (int round = 1; round <= rounds; round++) {
        long s = System.nanoTime();
        SyncThenValidate.run(selection, true);
        double perExtension = ms(System.nanoTime() - s) / n;
        best = Math.min(best, perExtension);
        out.printf(Locale.ROOT, "warm round %d: sync-compose --check + validate %.0f ms = %.3f ms/extension%n",
            round, perExtension * n, perExtension);
      }
      if (rounds > 0) {
        out.printf(Locale.ROOT, "best warm: %.3f ms/extension (%.0f extensions/s)%n", best, 1000 / best);
      }
      System.gc();
      Runtime rt = Runtime.getRuntime();
      out.printf(Locale.ROOT, "heap: max %.0f MB, in use after GC %.0f MB; cores: %d%n", rt.maxMemory() / 1048576.0,
          (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.availableProcessors());
      return ExitCodes.OK;
    }

    private static double ms(long nanos) {
      return nanos / 1_000_000.0;
    }
  }
}
