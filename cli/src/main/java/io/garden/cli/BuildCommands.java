package io.garden.cli;

import io.garden.build.BuildOptions;
import io.garden.build.Engine;
import io.garden.build.Cancellation;
import io.garden.build.HostTests;
import io.garden.build.SandboxedTests;
import io.garden.build.ImageBuilder;
import io.garden.build.ImagePusher;
import io.garden.build.SmokeTest;
import io.garden.build.suite.SuiteResult;
import io.garden.build.suite.TestSandbox;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Stage;
import io.garden.extension.LoadedExtension;
import io.garden.extension.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** build, build-all, test, test-all and push (SPEC §5, §8) against the engine at DOCKER_HOST. */
final class BuildCommands {

  private BuildCommands() {
  }

  abstract static class EngineCommand implements Callable<Integer> {
    @ParentCommand
    GardenCommand parent;

    @Mixin
    RepoOption repo;

    @Mixin
    RemoteOption remote;

    PrintWriter out() {
      return parent.spec.commandLine().getOut();
    }

    void say(String line) {
      out().println(line);
      out().flush();
    }

    @Override
    public Integer call() throws IOException {
      Path root = repo.root();
      if (remote.active()) {
        return remote.run(root, List.of(remoteStep()), remoteTargets(root), remoteStage(), remoteOptions());
      }
      try (Engine engine = new Engine(parent.config().dockerHost())) {
        if (!engine.available()) {
          throw new IllegalStateException("no container engine answers at " + engine.host() + " (set DOCKER_HOST;"
              + " without Docker: scripts/container-engine.sh start)");
        }
        return run(engine, root);
      }
    }

    abstract int run(Engine engine, Path root);

    /** The pipeline step this command is on a gateway. */
    abstract StepName remoteStep();

    abstract Targets remoteTargets(Path root);

    String remoteStage() {
      return Stage.DEV.id();
    }

    PipelineOptions remoteOptions() {
      return PipelineOptions.defaults();
    }
  }

  abstract static class BuildBase extends EngineCommand {
    @Option(names = "--no-cache", description = "Build without the layer cache.")
    boolean noCache;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A build argument (repeatable).")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
        description = "Longest one image build may take (default: 1800).")
    long timeoutSeconds;

    @Override
    StepName remoteStep() {
      return StepName.BUILD;
    }

    @Override
    PipelineOptions remoteOptions() {
      if (!buildArgs.isEmpty()) {
        throw new IllegalArgumentException("Error: --build-arg is not sent to a gateway; build locally (unset"
            + " GARDEN_URL) or put the value in the Dockerfile");
      }
      return new PipelineOptions(false, false, noCache);
    }

    BuildOptions options() {
      return new BuildOptions(buildArgs, noCache, Duration.ofSeconds(timeoutSeconds));
    }

    /** The extensions to build: one, or all. */
    abstract List<ExtensionRef> targets(Path root);

    @Override
    int run(Engine engine, Path root) {
      return buildAll(engine, targets(root));
    }

    int buildAll(Engine engine, List<ExtensionRef> refs) {
      int failures = 0;
      for (ExtensionRef ref : refs) {
        try {
          ImageBuilder.build(engine, ref, options(), this::say).forEach(b -> say("✅ " + b.repository() + ":"
              + b.tag() + " (" + b.durationMs() + " ms)"));
        } catch (RuntimeException e) {
          failures++;
          say("❌ " + ref.id() + ": " + e.getMessage());
        }
      }
      return failures == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = {"Build the images of one extension, or of all.", "",
          "Build the images of one extension (or all): sync-compose first, then every service image",
          "tagged {version}-dev and latest (latest stays local)."})
  static final class Build extends BuildBase {
    @Mixin
    TargetArgs target;

    @Override
    Targets remoteTargets(Path root) {
      return RemoteOption.targets(target, root);
    }

    @Override
    List<ExtensionRef> targets(Path root) {
      return target.resolve(new ExtensionDiscovery(root));
    }
  }

  @Command(name = "build-all", mixinStandardHelpOptions = true, description = "Build the images of every extension.")
  static final class BuildAll extends BuildBase {
    @Override
    Targets remoteTargets(Path root) {
      return Targets.all();
    }

    @Override
    List<ExtensionRef> targets(Path root) {
      return Selection.all(new ExtensionDiscovery(root)).extensions();
    }
  }

  abstract static class TestBase extends EngineCommand {
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "Health limit for the smoke test (default: 60, App Garden's start-up limit).")
    long timeoutSeconds;

    @Override
    StepName remoteStep() {
      return StepName.TEST;
    }

    @Option(names = "--on-host", description = {"Run the extension's own suite on this machine, as the old make test",
        "did (your own checkout only). Default: in a container, no network, limited (GARDEN_TEST_*)."})
    boolean onHost;

    /** The extensions to test: one, or all. */
    abstract List<ExtensionRef> targets(Path root);

    /** The suite the way pipelines run it (sandboxed), unless --on-host asks for the old way. */
    java.util.Optional<SuiteResult> suite(Engine engine, ExtensionRef ref) {
      if (onHost) {
        return HostTests.run(ref.dir(), Duration.ofMinutes(10));
      }
      TestSandbox sandbox = TestSandbox.fromEnv(parent.env());
      return SandboxedTests.run(engine, ref, sandbox, line -> { }, Cancellation.none());
    }

    @Override
    int run(Engine engine, Path root) {
      return targets(root).stream().mapToInt(ref -> test(engine, ref)).max().orElse(ExitCodes.OK);
    }

    int test(Engine engine, ExtensionRef ref) {
      boolean ok = true;
      LoadedExtension e = LoadedExtension.load(ref);
      var suite = suite(engine, ref);
      if (suite.isPresent()) {
        SuiteResult r = suite.get();
        say((r.passed() == null ? "⏭️  " : r.passed() ? "✅ " : "❌ ") + ref.id() + ": " + r.tool() + " — " + r.detail());
        if (Boolean.FALSE.equals(r.passed())) {
          r.outputTail().forEach(line -> say("   │ " + line));
          ok = false;
        }
      }
      SmokeTest.Result smoke = SmokeTest.run(engine, e, Duration.ofSeconds(timeoutSeconds),
          line -> say("   " + ref.id() + " " + line), Cancellation.none());
      for (SmokeTest.ServiceResult s : smoke.services()) {
        say((s.healthy() ? "✅ " : "❌ ") + ref.id() + " service " + s.service() + ": " + s.detail());
        if (!s.healthy()) {
          s.logs().forEach(line -> say("   │ " + line));
        }
      }
      return ok && smoke.passed() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Test one extension, or all: its own tests, then a container smoke test.", "",
          "Test one extension (or all): its own suite (a Dockerfile 'test' stage, else pytest / npm test /",
          "go test) in a container with no network and bounded memory, CPUs and time, as pipelines run it;",
          "then a container smoke test — its built images started as compose would, every service healthy",
          "within the limit (its HEALTHCHECK, else HTTP 200 on /health)."})
  static final class Test extends TestBase {
    @Mixin
    TargetArgs target;

    @Override
    Targets remoteTargets(Path root) {
      return RemoteOption.targets(target, root);
    }

    @Override
    List<ExtensionRef> targets(Path root) {
      return target.resolve(new ExtensionDiscovery(root));
    }
  }

  @Command(name = "test-all", mixinStandardHelpOptions = true, description = "Test every extension.")
  static final class TestAll extends TestBase {
    @Override
    Targets remoteTargets(Path root) {
      return Targets.all();
    }

    @Override
    List<ExtensionRef> targets(Path root) {
      return Selection.all(new ExtensionDiscovery(root)).extensions();
    }
  }

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = {"Push one extension's images for a stage to the image registry.", "",
          "Push one extension's images for a stage to GARDEN_IMAGE_REGISTRY (default: Docker Hub):",
          "tags {version}-dev, {version}-stage or {version}; a missing stage tag is retagged from -dev; latest is",
          "never pushed; digests are recorded in build/image-digests.json for build-registry to pin."})
  static final class Push extends EngineCommand {
    @Parameters(index = "0", paramLabel = "TYPE") String type;
    @Parameters(index = "1", paramLabel = "NAME") String name;

    @Option(names = "--stage", paramLabel = "dev|stage|prod", defaultValue = "dev", description = "Stage (default: dev).")
    String stage;

    @Option(names = "--build", description = "Build first.")
    boolean build;

    @Option(names = "--dry-run", description = "List what would be pushed; push nothing.")
    boolean dryRun;

    @Override
    StepName remoteStep() {
      return StepName.PUSH;
    }

    @Override
    Targets remoteTargets(Path root) {
      if (build || dryRun) {
        throw new IllegalArgumentException("Error: --build and --dry-run are local only; on a gateway run"
            + " `garden ci-pipeline --steps build,push " + type + " " + name + "`");
      }
      return Targets.of(List.of(new ExtensionDiscovery(root).resolve(ExtensionType.parse(type), name).id()));
    }

    @Override
    String remoteStage() {
      return Stage.parse(stage).id();
    }

    @Override
    int run(Engine engine, Path root) {
      Stage s = Stage.parse(stage);
      ExtensionRef ref = new ExtensionDiscovery(root).resolve(ExtensionType.parse(type), name);
      if (build) {
        ImageBuilder.build(engine, ref, BuildOptions.defaults(), this::say);
      }
      String registry = parent.config().imageRegistry();
      if (dryRun) {
        ImagePusher.wouldPush(engine, ref, s, registry, parent.config().pushPlatforms())
            .forEach(line -> say("would push " + line));
        return ExitCodes.OK;
      }
      ImagePusher.push(engine, root, ref, s, registry, parent.config().pushPlatforms(), BuildOptions.defaults(),
              this::say, Cancellation.none())
          .forEach(p -> say("✅ " + p.ref() + " " + p.digest() + (p.platforms().isEmpty() ? ""
              : " (" + String.join(", ", p.platforms()) + ")")));
      return ExitCodes.OK;
    }
  }
}
