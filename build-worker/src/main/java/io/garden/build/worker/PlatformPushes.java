package io.garden.build.worker;

import io.garden.build.BuildOptions;
import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.build.ImageBuilder;
import io.garden.build.ImagePusher;
import io.garden.build.PlatformSupport;
import io.garden.build.SmokeTest;
import io.garden.common.event.BuildStep;
import io.garden.common.event.FailureKind;
import io.garden.common.event.ServiceHealth;
import io.garden.common.event.StepFailed;
import io.garden.common.event.TestFinished;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;
import io.garden.common.event.BuildProgress;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.EventPayload;
import io.garden.common.event.ImageResult;
import io.garden.common.event.PushFinished;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.model.Stage;
import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import io.garden.extension.model.ExtensionRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.function.Consumer;

/**
 * The units of a push spread over build workers ({@link BuildRequested#pushesOnePlatform()},
 * {@link BuildRequested#putsIndexes()}): one platform's images — smoke-tested on that platform before they are
 * pushed when the pipeline tests — or the indexes over them. A dry run says what it would push and pushes nothing,
 * like every dry run.
 */
final class PlatformPushes {

  /** App Garden's start-up limit, with room for QEMU: an emulated service starts several times slower. */
  static final Duration EMULATED_LIMIT = SmokeTest.APP_GARDEN_LIMIT.multipliedBy(3);

  private final Engine engine;
  private final String imageRegistry;

  PlatformPushes(Engine engine, String imageRegistry) {
    this.engine = engine;
    this.imageRegistry = imageRegistry;
  }

  /**
   * @return push.finished with what went to the registry, then the unit's step.finished; a dry run's step.finished
   * alone, saying what it would do
   */
  List<EventPayload> run(BuildRequested request, ExtensionRef ref, Stage stage, Consumer<EventPayload> live,
                         Cancellation cancellation) {
    Platforms platforms = Platforms.parse(String.join(",", request.platforms()), "the pipeline's platforms");
    Platform platform = request.pushesOnePlatform() ? Platform.parse(request.platform()) : null;
    long started = System.nanoTime();
    if (request.onlyPlans()) {
      List<String> would = platform == null
          ? ImagePusher.wouldPutIndexes(engine, ref, stage, imageRegistry, platforms)
          : ImagePusher.wouldPushPlatform(engine, ref, stage, imageRegistry, platforms, platform);
      return List.of(finished(ref, started, "dry run, nothing pushed; would " + (platform == null ? "put " : "push ")
          + (would.isEmpty() ? "nothing" : String.join(", ", would))));
    }
    Consumer<String> progress = line -> live.accept(new BuildProgress(ref.id(), line));
    if (platform == null) {
      List<ImagePusher.Pushed> indexes = ImagePusher.putIndexes(engine, ref, stage, imageRegistry, platforms,
          progress);
      return List.of(pushed(ref, stage, indexes), finished(ref, started, "image indexes put (" + platforms.wire()
          + ")"));
    }
    List<ImagePusher.Built> built = ImagePusher.buildPlatform(engine, ref, stage, imageRegistry, platforms, platform,
        new BuildOptions(request.buildArgs(), request.noCache(), request.timeoutSeconds() == null
            ? BuildOptions.DEFAULT_TIMEOUT : Duration.ofSeconds(request.timeoutSeconds())), progress, cancellation);
    List<EventPayload> events = new ArrayList<>();
    String tested = "";
    if (request.steps().contains(BuildStep.TEST) && !built.isEmpty()) {
      TestFinished smoke = smoke(ref, stage, platform, progress, cancellation);
      events.add(smoke);
      if (!smoke.passed()) {
        events.add(new StepFailed(StepName.PUSH, ref.id(), ref.id() + ": " + platform.wire() + " smoke test failed"
            + " (unhealthy: " + smoke.services().stream().filter(s -> !s.healthy()).map(ServiceHealth::service)
            .collect(Collectors.joining(", ")) + "): nothing pushed for it", FailureKind.FINDINGS));
        return events;
      }
      tested = "smoke test passed on " + smoke.platform() + "; ";
    }
    List<ImagePusher.Pushed> pushed = ImagePusher.pushBuilt(engine, built, progress, cancellation);
    events.add(pushed(ref, stage, pushed));
    events.add(finished(ref, started, tested + platform.wire() + " pushed (" + pushed.size() + " image"
        + (pushed.size() == 1 ? "" : "s") + ")"));
    return events;
  }

  /**
   * The smoke test of the images just built for {@code platform}, before they are pushed: what goes to customers
   * on that platform started and answered healthy. Emulated, a service starts far slower: its own limit.
   */
  private TestFinished smoke(ExtensionRef ref, Stage stage, Platform platform, Consumer<String> progress,
                             Cancellation cancellation) {
    PlatformSupport support = new PlatformSupport(engine.nativePlatform(), PlatformSupport.BINFMT);
    boolean emulated = support.how(platform) == PlatformSupport.How.EMULATED;
    // As a build does first: the appgarden file the smoke test starts is this version's, on any worker.
    LoadedExtension extension = ImageBuilder.syncCompose(ref, "the smoke test");
    long started = System.nanoTime();
    SmokeTest.Result result = SmokeTest.run(engine, extension, ImagePusher.localTag(
            ServiceDiscovery.version(extension), stage, platform), emulated ? EMULATED_LIMIT : SmokeTest.APP_GARDEN_LIMIT,
        progress, cancellation);
    return new TestFinished(ref.id(), result.passed(), null, null, null, null, result.services().stream()
        .map(s -> new ServiceHealth(s.service(), s.healthy(), s.detail(), s.logs())).toList(),
        (System.nanoTime() - started) / 1_000_000, platform.wire() + ", " + support.describe(platform));
  }

  private static PushFinished pushed(ExtensionRef ref, Stage stage, List<ImagePusher.Pushed> pushed) {
    return new PushFinished(ref.id(), stage.id(), pushed.stream()
        .map(p -> new ImageResult(p.service(), p.ref(), null, p.digest(), null, p.platforms())).toList());
  }

  private static StepFinished finished(ExtensionRef ref, long started, String summary) {
    return new StepFinished(StepName.PUSH, ref.id(), (System.nanoTime() - started) / 1_000_000,
        ref.id() + ": " + summary);
  }
}
