package io.garden.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code garden bench} where the benchmarks are not on the class path: they are a module of their own
 * ({@code bench/}), left out of the product jar and the distribution, so this build can only say where they are.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks with printed figures (see docs/PERFORMANCE.md); they are not part of this build.")
final class BenchNotInThisBuild implements Callable<Integer> {

  @Unmatched
  List<String> ignored;

  @Override
  public Integer call() {
    throw new IllegalArgumentException("Error: the benchmarks are not part of this build: they are the bench module"
        + " of the source tree. Run them from a checkout with ./garden bench ... (it builds them), or put"
        + " bench/target/garden-bench.jar beside garden.jar in lib/ of an installed copy");
  }
}
