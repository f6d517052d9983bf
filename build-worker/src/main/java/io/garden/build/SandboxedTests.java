package io.garden.build;

import io.garden.build.suite.SuiteResult;
import io.garden.build.suite.SuiteTool;
import io.garden.build.suite.TestRecipe;
import io.garden.build.suite.TestSandbox;
import io.garden.extension.model.ExtensionFiles;
import io.garden.common.model.FileTrees;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.BuildTarget;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An extension's own test suite (SPEC §8), run where a pull request's code may run: inside a container, built like
 * any image (the extension's {@code test} stage, else {@link TestRecipe}), then started confined by the
 * {@link TestSandbox} — no network by default, bounded memory, CPUs, processes and time. Nothing from the
 * repository runs on this host. The container is removed whatever happens, and at once on cancel.
 */
public final class SandboxedTests {

  private static final int OUTPUT_LINES = 60;
  private static final String RECIPE = "Dockerfile.garden-test";

  /** How a suite that never ran, because its test image did not build, begins its detail. */
  public static final String NOT_BUILT = "the test image did not build";

  private SandboxedTests() {
  }

  /** Empty when the extension has no suite. */
  public static Optional<SuiteResult> run(Engine engine, ExtensionRef ref, TestSandbox sandbox,
                                          Consumer<String> progress, Cancellation cancellation) {
    Optional<BuildTarget> stage = testStage(ref);
    Optional<SuiteTool> tool = stage.isPresent() ? Optional.of(SuiteTool.TEST_STAGE) : SuiteTool.byFiles(ref.dir());
    if (tool.isEmpty()) {
      return Optional.empty();
    }
    String image = "garden-test/" + (ref.type().id() + "-" + ref.name()).toLowerCase(Locale.ROOT) + ":latest";
    String label = tool.get().label();
    if (stage.isPresent() && !SuiteTool.testStageRuns(readDockerfile(ref, stage.get()))) {
      return Optional.of(new SuiteResult(label, false, "the Dockerfile's test stage names no CMD or ENTRYPOINT of its"
          + " own: nothing would run as the sandboxed suite (a suite run by RUN runs while building, with no"
          + " network, and is not the test); put the suite in the stage's CMD, e.g. CMD [\"pytest\", \"-q\"]",
          List.of()));
    }
    try {
      progress.accept("▶ " + ref.id() + ": building the test image for " + label);
      if (stage.isPresent()) {
        buildTestStage(engine, ref, stage.get(), image, sandbox, progress, cancellation);
      } else {
        buildRecipe(engine, ref, tool.get(), image, sandbox, progress, cancellation);
      }
    } catch (BuildFailedException failed) {
      cancellation.check("the test image of " + ref.id());
      return Optional.of(new SuiteResult(label, false, NOT_BUILT + ": " + failed.getMessage()
          + hint(tool.get()), failed.outputTail()));
    }
    cancellation.check("before the tests of " + ref.id());
    progress.accept("▶ " + ref.id() + ": running " + label + " (" + sandbox.describe() + ")");
    return Optional.of(runConfined(engine, ref, image, label, sandbox, cancellation));
  }

  /** The first service Dockerfile that declares a {@code test} stage. */
  private static Optional<BuildTarget> testStage(ExtensionRef ref) {
    return ServiceDiscovery.targets(LoadedExtension.load(ref)).stream()
        .filter(t -> SuiteTool.hasTestStage(ExtensionFiles.contained(ref.dir(), t.dockerfile())))
        .findFirst();
  }

  private static String readDockerfile(ExtensionRef ref, BuildTarget target) {
    try {
      return Files.readString(ExtensionFiles.contained(ref.dir(), target.dockerfile()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + target.dockerfile(), e);
    }
  }

  /**
   * The test stage is built with the sandbox's network (none by default): its RUN steps are the extension's code
   * too, and a suite run there must not reach what the sandboxed run cannot ({@link BuildNetwork} says it in each
   * engine's words).
   */
  private static void buildTestStage(Engine engine, ExtensionRef ref, BuildTarget target, String image,
                                     TestSandbox sandbox, Consumer<String> progress, Cancellation cancellation) {
    ExtensionFiles.requireContainedTree(ref.dir(), target.context());
    engine.build(target, "test", List.of(image), Map.of(), false, sandbox.timeout(),
        line -> progress.accept("  │ " + line), cancellation, sandbox.network());
  }

  /** The recipe builds from a copy of the extension: garden writes its Dockerfile there, never in the checkout. */
  private static void buildRecipe(Engine engine, ExtensionRef ref, SuiteTool tool, String image, TestSandbox sandbox,
                                  Consumer<String> progress, Cancellation cancellation) {
    ExtensionFiles.requireContainedTree(ref.dir(), ref.dir());
    Path copy = null;
    try {
      copy = Files.createTempDirectory("garden-test-");
      copyTree(ref.dir(), copy);
      Path dockerfile = copy.resolve(RECIPE);
      Files.writeString(dockerfile, TestRecipe.dockerfile(tool, sandbox.imageFor(tool)));
      engine.build(new BuildTarget("test", copy, dockerfile, image), null, List.of(image), Map.of(), false,
          sandbox.timeout(), line -> progress.accept("  │ " + line), cancellation);
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the test image of " + ref.id() + ": " + e.getMessage(), e);
    } finally {
      if (copy != null) {
        try {
          FileTrees.delete(copy);
        } catch (IOException ignored) {
          // A temporary folder left behind is the system's to clean.
        }
      }
    }
  }

  private static SuiteResult runConfined(Engine engine, ExtensionRef ref, String image, String label,
                                         TestSandbox sandbox, Cancellation cancellation) {
    String name = "garden-test-" + UUID.randomUUID().toString().substring(0, 8);
    String id = engine.runConfined(name, image, sandbox);
    cancellation.onCancel(() -> engine.removeContainer(id));
    try {
      Optional<Integer> exit = engine.awaitExit(id, sandbox.timeout());
      cancellation.check("the tests of " + ref.id());
      List<String> output = engine.logs(id, OUTPUT_LINES);
      if (exit.isEmpty()) {
        return new SuiteResult(label, false, "timed out after " + sandbox.timeout().toSeconds() + " s"
            + " (GARDEN_TEST_TIMEOUT_SECONDS)", output);
      }
      return new SuiteResult(label, exit.get() == 0, "exit code " + exit.get() + outOfMemory(exit.get(), sandbox),
          output);
    } catch (RuntimeException e) {
      // Removed under an engine call by a cancel: that is the cancel speaking.
      cancellation.check("the tests of " + ref.id());
      throw e;
    } finally {
      engine.removeContainer(id);
    }
  }

  /** 137 is SIGKILL, which is what the memory limit sends: say which limit, so nobody hunts a flaky test. */
  private static String outOfMemory(int exit, TestSandbox sandbox) {
    return exit == 137 ? " (killed: the sandbox allows " + sandbox.memoryMb() + " MB, GARDEN_TEST_MEMORY_MB)" : "";
  }

  private static String hint(SuiteTool tool) {
    return tool == SuiteTool.TEST_STAGE ? ""
        : "; its toolchain image is " + toolVariable(tool) + " (set it to an image the engine has or can pull)";
  }

  private static String toolVariable(SuiteTool tool) {
    return switch (tool) {
      case PYTEST -> "GARDEN_TEST_IMAGE_PYTHON";
      case NPM -> "GARDEN_TEST_IMAGE_NODE";
      case GO -> "GARDEN_TEST_IMAGE_GO";
      case TEST_STAGE -> "";
    };
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        // Links were checked to stay inside (requireContainedTree); the copy holds what they point at.
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

}
