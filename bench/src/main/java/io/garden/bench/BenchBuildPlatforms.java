package io.garden.bench;

import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.build.PlatformSupport;
import io.garden.cli.ExitCodes;
import io.garden.common.platform.Platform;
import io.garden.common.model.FileTrees;
import io.garden.extension.BuildTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code garden bench build-platforms}: how long one extension's image takes to build for the engine's own platform
 * and for linux/arm64 by emulation, from scratch each round (no cache), so docs/PERFORMANCE.md can say what a
 * multi-platform push costs on a machine without an arm64 build host.
 */
@Command(name = "build-platforms", mixinStandardHelpOptions = true,
    description = {"Build one busybox extension image with no cache for the engine's own platform, then for",
        "linux/arm64 (emulated unless the engine is arm64); prints seconds per platform and round.",
        "Needs the engine (DOCKER_HOST) and an arm64 static busybox (scripts/container-engine.sh platforms)."})
final class BenchBuildPlatforms implements Callable<Integer> {

  @ParentCommand
  BenchCommand parent;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds per platform (default: 3).")
  int rounds;

  @Option(names = "--work", defaultValue = "300000",
      description = "Iterations of a shell loop in a RUN step: the CPU work emulation slows (default: 300000).")
  int work;

  @Option(names = "--arm64-busybox", defaultValue = "/usr/local/lib/garden/busybox-arm64",
      description = "A static arm64 busybox (default: where scripts/container-engine.sh platforms puts it).")
  Path arm64Busybox;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = parent.spec.commandLine().getOut();
    Path context = Files.createTempDirectory("garden-bench-platforms-");
    try (Engine engine = new Engine(parent.root().config().dockerHost())) {
      Files.copy(Path.of("/bin/busybox"), context.resolve("busybox-amd64"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(arm64Busybox, context.resolve("busybox-arm64"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(context.resolve("Dockerfile"), """
          FROM scratch
          ARG TARGETARCH
          COPY busybox-${TARGETARCH} /bin/busybox
          RUN ["/bin/busybox", "--install", "-s", "/bin"]
          RUN ["/bin/sh", "-c", "i=0; while [ $i -lt %d ]; do i=$((i+1)); done; uname -m > /arch"]
          CMD ["/bin/cat", "/arch"]
          """.formatted(work));
      Platform own = engine.nativePlatform();
      PlatformSupport support = new PlatformSupport(own, PlatformSupport.BINFMT);
      List<Platform> platforms = new ArrayList<>(List.of(own));
      Platform arm64 = Platform.parse("linux/arm64");
      if (!platforms.contains(arm64)) {
        platforms.add(arm64);
      }
      BuildTarget target = new BuildTarget("bench", context, context.resolve("Dockerfile"), "garden-bench/platforms");
      out.printf("engine platform: %s; RUN loop of %,d iterations; %d round(s), no cache%n", own, work, rounds);
      double total = 0;
      for (Platform platform : platforms) {
        List<Double> seconds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          long started = System.nanoTime();
          engine.build(target, null, List.of("garden-bench/platforms:" + platform.tagSuffix()), Map.of(), true,
              Duration.ofMinutes(30), line -> { }, Cancellation.none(), null, platform);
          seconds.add((System.nanoTime() - started) / 1e9);
        }
        double median = seconds.stream().sorted().toList().get(seconds.size() / 2);
        total += median;
        out.printf(Locale.ROOT, "%-12s %-26s median %6.2f s  rounds %s%n", platform, support.describe(platform),
            median, seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
        out.flush();
      }
      out.printf(Locale.ROOT, "one image for %s, one builder in turn: %.2f s%n",
          String.join(" + ", platforms.stream().map(Platform::wire).toList()), total);
      return ExitCodes.OK;
    } finally {
      FileTrees.delete(context);
    }
  }
}
