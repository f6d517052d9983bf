package io.garden.build.worker;

import io.garden.build.BuildOptions;
import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.build.ImagePusher;
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
import java.util.List;
import java.util.function.Consumer;

/**
 * The units of a push spread over build workers ({@link BuildRequested#pushesOnePlatform()},
 * {@link BuildRequested#putsIndexes()}): one platform's images, or the indexes over them. A dry run says what it
 * would push and pushes nothing, like every dry run.
 */
final class PlatformPushes {

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
    List<ImagePusher.Pushed> pushed = platform == null
        ? ImagePusher.putIndexes(engine, ref, stage, imageRegistry, platforms, progress)
        : ImagePusher.pushPlatform(engine, ref, stage, imageRegistry, platforms, platform, new BuildOptions(
            request.buildArgs(), request.noCache(), request.timeoutSeconds() == null ? BuildOptions.DEFAULT_TIMEOUT
            : Duration.ofSeconds(request.timeoutSeconds())), progress, cancellation);
    return List.of(new PushFinished(ref.id(), stage.id(), pushed.stream()
            .map(p -> new ImageResult(p.service(), p.ref(), null, p.digest(), null, p.platforms())).toList()),
        finished(ref, started, platform == null ? "image indexes put (" + platforms.wire() + ")"
            : platform.wire() + " pushed (" + pushed.size() + " image" + (pushed.size() == 1 ? "" : "s") + ")"));
  }

  private static StepFinished finished(ExtensionRef ref, long started, String summary) {
    return new StepFinished(StepName.PUSH, ref.id(), (System.nanoTime() - started) / 1_000_000,
        ref.id() + ": " + summary);
  }
}
