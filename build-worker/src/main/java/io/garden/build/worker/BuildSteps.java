package io.garden.build.worker;

import io.garden.common.platform.Platforms;
import io.garden.extension.model.ExtensionRepository;
import io.garden.build.BuildFailedException;
import io.garden.build.BuildOptions;
import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.build.ImageBuilder;
import io.garden.build.ImagePusher;
import io.garden.build.SandboxedTests;
import io.garden.build.SmokeTest;
import io.garden.build.suite.SuiteResult;
import io.garden.build.suite.TestSandbox;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.BuildStarted;
import io.garden.common.event.BuildStep;
import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.ImageResult;
import io.garden.common.event.PushFinished;
import io.garden.common.event.ServiceHealth;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.TestFinished;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.Stage;
import io.garden.common.source.SourceCheckouts;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What a build request does, as plain blocking Java; progress lines go out while it runs. */
public final class BuildSteps {

  private final Engine engine;
  private final String imageRegistry;

  private final SourceCheckouts sources;
  private final TestSandbox sandbox;
  private final Platforms platforms;
  private Duration smokeLimit = SmokeTest.APP_GARDEN_LIMIT;

  /** A build worker that pushes its engine's own platform only. */
  public BuildSteps(Engine engine, String imageRegistry, SourceCheckouts sources, TestSandbox sandbox) {
    this(engine, imageRegistry, sources, sandbox, null);
  }

  /** @param platforms what a push builds ({@code GARDEN_PLATFORMS}); null: the engine's own platform */
  public BuildSteps(Engine engine, String imageRegistry, SourceCheckouts sources, TestSandbox sandbox,
                    Platforms platforms) {
    this.engine = engine;
    this.imageRegistry = imageRegistry;
    this.sources = sources;
    this.sandbox = sandbox;
    this.platforms = platforms;
  }

  /**
   * The same steps with another start-up limit for the smoke test than App Garden's 60 s: for tests of what an
   * unhealthy extension's test step reports, which would otherwise wait the whole minute.
   */
  public BuildSteps withSmokeLimit(Duration limit) {
    BuildSteps shorter = new BuildSteps(engine, imageRegistry, sources, sandbox, platforms);
    shorter.smokeLimit = limit;
    return shorter;
  }

  /**
   * @param live receives events to emit at once (build.started, build.progress)
   * @return the result events, in order; a failed build ends the list with its build.finished (passed=false)
   */
  public List<EventPayload> run(BuildRequested request, Consumer<EventPayload> live) {
    return run(request, live, Cancellation.none());
  }

  /**
   * A pipeline cancelled while this ran ends its unit as cancelled, whatever the interrupted build or test said
   * (a stream closed under it, a check between steps): not a failure with the build's last lines as findings.
   */
  public List<EventPayload> run(BuildRequested request, Consumer<EventPayload> live, Cancellation cancellation) {
    try {
      List<EventPayload> events = steps(request, live, cancellation);
      return cancellation.isCancelled() ? cancelled(request) : events;
    } catch (RuntimeException interrupted) {
      if (cancellation.isCancelled()) {
        return cancelled(request);
      }
      throw interrupted;
    }
  }

  private static List<EventPayload> cancelled(BuildRequested request) {
    BuildStep step = request.steps().get(0);
    return List.of(new StepFailed(step.stepName(), request.extension(), request.extension() + ": cancelled",
        FailureKind.CANCELLED));
  }

  private List<EventPayload> steps(BuildRequested request, Consumer<EventPayload> live, Cancellation cancellation) {
    Path root = ExtensionRepository.require(sources.resolve(request.source()));
    ExtensionRef ref = new ExtensionDiscovery(root).resolveId(request.extension());
    Stage stage = Stage.parse(request.stage());
    List<EventPayload> events = new ArrayList<>();
    long started = System.nanoTime();
    if (request.pushesOnePlatform() || request.putsIndexes()) {
      return new PlatformPushes(engine, imageRegistry).run(request, ref, stage, live, cancellation);
    }
    if (request.steps().contains(BuildStep.BUILD)) {
      BuildFinished built = build(request, ref, live, cancellation);
      events.add(built);
      if (!built.passed()) {
        return ended(events, BuildStep.BUILD, ref, started, "build failed at " + built.failingStep());
      }
    }
    if (request.steps().contains(BuildStep.TEST)) {
      cancellation.check("before the tests");
      TestFinished tested = test(ref, live, cancellation);
      events.add(tested);
      if (!tested.passed()) {
        return ended(events, BuildStep.TEST, ref, started, "tests failed" + unhealthy(tested));
      }
    }
    if (request.steps().contains(BuildStep.PUSH) && request.onlyPlans()) {
      // A dry run pushes nothing: the gateway authorised it as a dry run on that promise.
      List<String> wouldPush = ImagePusher.wouldPush(engine, ref, stage, imageRegistry,
          platforms == null ? Platforms.only(engine.nativePlatform()) : platforms);
      events.add(new StepFinished(BuildStep.PUSH.stepName(), ref.id(), millisSince(started), ref.id()
          + ": dry run, nothing pushed; would push " + String.join(", ", wouldPush)));
      return events;
    }
    if (request.steps().contains(BuildStep.PUSH)) {
      cancellation.check("before the push");
      List<ImageResult> images = ImagePusher.push(engine, root, ref, stage, imageRegistry,
              platforms == null ? Platforms.only(engine.nativePlatform()) : platforms,
              new BuildOptions(request.buildArgs(), request.noCache(), BuildOptions.DEFAULT_TIMEOUT), line -> { },
              cancellation).stream()
          .map(p -> new ImageResult(p.service(), p.ref(), null, p.digest(), null, p.platforms())).toList();
      events.add(new PushFinished(ref.id(), stage.id(), images));
    }
    return ended(events, null, ref, started, null);
  }

  /**
   * Ends the events of a request with its one terminal step event, which the coordinator waits for: step.failed
   * naming the step that failed, or step.finished for the last step asked for.
   */
  private static List<EventPayload> ended(List<EventPayload> events, BuildStep failed, ExtensionRef ref, long started,
                                          String reason) {
    if (failed != null) {
      events.add(new StepFailed(failed.stepName(), ref.id(), ref.id() + ": " + reason, FailureKind.FINDINGS));
    } else {
      BuildStep last = events.isEmpty() ? BuildStep.BUILD : lastStep(events);
      events.add(new StepFinished(last.stepName(), ref.id(), millisSince(started), ref.id() + ": " + last + " passed"));
    }
    return events;
  }

  private static BuildStep lastStep(List<EventPayload> events) {
    EventPayload last = events.get(events.size() - 1);
    if (last instanceof PushFinished) {
      return BuildStep.PUSH;
    }
    return last instanceof TestFinished ? BuildStep.TEST : BuildStep.BUILD;
  }

  private static String unhealthy(TestFinished tested) {
    List<String> services = tested.services().stream().filter(s -> !s.healthy()).map(ServiceHealth::service).toList();
    if (Boolean.FALSE.equals(tested.suitePassed())) {
      // A suite that never ran says why in the summary: "tests failed (pytest)" would send them to read tests.
      String detail = tested.suiteDetail();
      return " (" + tested.suite() + (detail != null && detail.startsWith(SandboxedTests.NOT_BUILT) ? ": " + detail
          : "") + ")";
    }
    return services.isEmpty() ? "" : " (unhealthy: " + String.join(", ", services) + ")";
  }

  private BuildFinished build(BuildRequested request, ExtensionRef ref, Consumer<EventPayload> live,
                              Cancellation cancellation) {
    LoadedExtension e = LoadedExtension.load(ref);
    String version = ServiceDiscovery.version(e);
    live.accept(new BuildStarted(ref.id(), ServiceDiscovery.targets(e).stream()
        .map(t -> t.ref(Stage.DEV.tag(version))).toList()));
    long started = System.nanoTime();
    BuildOptions options = new BuildOptions(request.buildArgs(), request.noCache(),
        request.timeoutSeconds() == null ? BuildOptions.DEFAULT_TIMEOUT : Duration.ofSeconds(request.timeoutSeconds()));
    try {
      List<ImageResult> images = ImageBuilder.build(engine, ref, options,
              line -> live.accept(new BuildProgress(ref.id(), line)), cancellation).stream()
          .map(b -> new ImageResult(b.service(), b.repository() + ":" + b.tag(), b.imageId(), null, b.durationMs()))
          .toList();
      return new BuildFinished(ref.id(), true, images, null, List.of(), millisSince(started));
    } catch (BuildFailedException failed) {
      return new BuildFinished(ref.id(), false, List.of(), failed.step(), failed.outputTail(), millisSince(started));
    }
  }

  /**
   * The extension's own suite, sandboxed in a container (a pipeline's repository may be anyone's pull request:
   * nothing from it runs on this host), then the container smoke test — unless the suite already failed.
   */
  private TestFinished test(ExtensionRef ref, Consumer<EventPayload> live, Cancellation cancellation) {
    long started = System.nanoTime();
    Consumer<String> progress = line -> live.accept(new BuildProgress(ref.id(), line));
    Optional<SuiteResult> suite = SandboxedTests.run(engine, ref, sandbox, progress, cancellation);
    if (suite.isPresent() && !Boolean.TRUE.equals(suite.get().passed())) {
      return finished(ref, suite, new SmokeTest.Result(false, List.of(), 0), started);
    }
    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref), smokeLimit, progress,
        cancellation);
    return finished(ref, suite, smoke, started);
  }

  private static TestFinished finished(ExtensionRef ref, Optional<SuiteResult> suite, SmokeTest.Result smoke,
                                       long started) {
    boolean suiteOk = suite.map(s -> Boolean.TRUE.equals(s.passed())).orElse(true);
    return new TestFinished(ref.id(), suiteOk && smoke.passed(), suite.map(SuiteResult::tool).orElse(null),
        suite.map(SuiteResult::passed).orElse(null), suite.map(SuiteResult::detail).orElse(null),
        suite.map(SuiteResult::outputTail).orElse(null),
        smoke.services().stream().map(s -> new ServiceHealth(s.service(), s.healthy(), s.detail(), s.logs())).toList(),
        millisSince(started));
  }


  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
