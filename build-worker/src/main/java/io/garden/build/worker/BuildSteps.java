package io.garden.build.worker;

import io.garden.build.BuildFailedException;
import io.garden.build.BuildOptions;
import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.build.ExtensionTests;
import io.garden.build.ImageBuilder;
import io.garden.build.ImagePusher;
import io.garden.build.ServiceDiscovery;
import io.garden.build.SmokeTest;
import io.garden.common.event.BuildFinished;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.BuildStarted;
import io.garden.common.event.EventPayload;
import io.garden.common.event.ImageResult;
import io.garden.common.event.PushFinished;
import io.garden.common.event.ServiceHealth;
import io.garden.common.event.SourceRef;
import io.garden.common.event.TestFinished;
import io.garden.common.model.ExtensionDiscovery;
import io.garden.common.model.ExtensionRef;
import io.garden.common.model.Stage;
import io.garden.validate.LoadedExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a build request does, as plain blocking Java; progress lines go out while it runs. */
public final class BuildSteps {

  private final Engine engine;
  private final String imageRegistry;

  public BuildSteps(Engine engine, String imageRegistry) {
    this.engine = engine;
    this.imageRegistry = imageRegistry;
  }

  /**
   * @param live receives events to emit at once (build.started, build.progress)
   * @return the result events, in order; a failed build ends the list with its build.finished (passed=false)
   */
  public List<EventPayload> run(BuildRequested request, Consumer<EventPayload> live) {
    return run(request, live, Cancellation.none());
  }

  public List<EventPayload> run(BuildRequested request, Consumer<EventPayload> live, Cancellation cancellation) {
    for (String step : request.steps()) {
      if (!BuildRequested.KNOWN_STEPS.contains(step)) {
        throw new IllegalArgumentException("unknown step '" + step + "'; this worker runs: build, test, push");
      }
    }
    Path root = SourceRef.localRoot(request.source());
    ExtensionRef ref = new ExtensionDiscovery(root).resolveId(request.extension());
    Stage stage = Stage.parse(request.stage());
    List<EventPayload> events = new ArrayList<>();
    if (request.steps().contains("build")) {
      BuildFinished built = build(request, ref, live, cancellation);
      events.add(built);
      if (!built.passed()) {
        return events;
      }
    }
    if (request.steps().contains("test")) {
      cancellation.check("before the tests");
      events.add(test(ref));
    }
    if (request.steps().contains("push")) {
      cancellation.check("before the push");
      List<ImageResult> images = ImagePusher.push(engine, root, ref, stage, imageRegistry, line -> { }).stream()
          .map(p -> new ImageResult(p.service(), p.ref(), null, p.digest(), null)).toList();
      events.add(new PushFinished(ref.id(), stage.id(), images));
    }
    return events;
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
              line -> live.accept(new io.garden.common.event.BuildProgress(ref.id(), line)), cancellation).stream()
          .map(b -> new ImageResult(b.service(), b.repository() + ":" + b.tag(), b.imageId(), null, b.durationMs()))
          .toList();
      return new BuildFinished(ref.id(), true, images, null, List.of(), millisSince(started));
    } catch (BuildFailedException failed) {
      return new BuildFinished(ref.id(), false, List.of(), failed.step(), failed.outputTail(), millisSince(started));
    }
  }

  private TestFinished test(ExtensionRef ref) {
    long started = System.nanoTime();
    var suite = ExtensionTests.run(ref.dir(), Duration.ofMinutes(10));
    SmokeTest.Result smoke = SmokeTest.run(engine, LoadedExtension.load(ref), SmokeTest.APP_GARDEN_LIMIT);
    boolean suiteOk = suite.map(s -> !Boolean.FALSE.equals(s.passed())).orElse(true);
    return new TestFinished(ref.id(), suiteOk && smoke.passed(), suite.map(ExtensionTests.Result::tool).orElse(null),
        suite.map(ExtensionTests.Result::passed).orElse(null), suite.map(ExtensionTests.Result::detail).orElse(null),
        smoke.services().stream().map(s -> new ServiceHealth(s.service(), s.healthy(), s.detail(), s.logs())).toList(),
        millisSince(started));
  }



  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
