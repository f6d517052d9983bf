package io.garden.build;

import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.ImageDigests;
import io.garden.common.model.Stage;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * push (SPEC §5): stage tags, retag from {@code -dev} when needed, never {@code latest}; every push records the
 * digest the registry reports in {@code build/image-digests.json} so build-registry can pin it.
 */
public final class ImagePusher {

  /** One pushed image and its digest. */
  public record Pushed(String service, String ref, String digest, boolean retagged) {
  }

  private ImagePusher() {
  }

  public static List<PushPlan.Step> plan(Engine engine, ExtensionRef ref, Stage stage, String registry) {
    LoadedExtension e = LoadedExtension.load(ref);
    return PushPlan.plan(ServiceDiscovery.targets(e), ServiceDiscovery.version(e), stage, registry,
        engine::imageExists, "garden build " + ref.type().id() + " " + ref.name());
  }

  public static List<Pushed> push(Engine engine, Path repoRoot, ExtensionRef ref, Stage stage, String registry,
                                  Consumer<String> progress) {
    List<Pushed> pushed = new ArrayList<>();
    ImageDigests digests = ImageDigests.read(repoRoot);
    for (PushPlan.Step step : plan(engine, ref, stage, registry)) {
      if (step.retagFromDev()) {
        progress.accept("🏷️  " + step.devRef() + " → " + step.localRef());
        engine.tag(step.devRef(), step.localRef());
      }
      if (!step.remoteRef().equals(step.localRef())) {
        engine.tag(step.localRef(), step.remoteRef());
      }
      progress.accept("⬆️  pushing " + step.remoteRef());
      String digest = engine.push(step.remoteRef(), Duration.ofMinutes(30));
      progress.accept("   " + digest);
      pushed.add(new Pushed(step.service(), step.remoteRef(), digest, step.retagFromDev()));
      // Recorded under the name the extension uses, as the reference it went to: build-registry puts that one,
      // registry host and digest included, in the index.
      digests = digests.with(stage, step.localRef(), step.remoteRef(), digest);
      digests.write(repoRoot);
    }
    return pushed;
  }
}
