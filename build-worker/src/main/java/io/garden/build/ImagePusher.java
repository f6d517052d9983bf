package io.garden.build;

import io.garden.common.images.ImageRegistryApi;
import io.garden.common.model.ImageRef;
import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import io.garden.extension.BuildTarget;
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
import java.util.function.Predicate;

/**
 * push (SPEC §5): stage tags, retag from {@code -dev} when needed, never {@code latest}. For several platforms
 * ({@code GARDEN_PLATFORMS}, narrowed by a service's {@code build.platforms}), each platform's image is pushed under
 * its own tag ({@code 1.0.0-stage-linux-arm64}), then one OCI image index naming them all is put under the stage tag
 * through the registry's API: only after every platform is pushed, so a platform that fails leaves the stage tag as
 * it was. The digest recorded (and pinned by build-registry) is the index's.
 */
public final class ImagePusher {

  private static final Duration PUSH_TIMEOUT = Duration.ofMinutes(30);

  /** One pushed image and its digest (an index's, for several platforms), and the platforms in it. */
  public record Pushed(String service, String ref, String digest, boolean retagged, List<String> platforms) {

    public Pushed(String service, String ref, String digest, boolean retagged) {
      this(service, ref, digest, retagged, List.of());
    }
  }

  private ImagePusher() {
  }

  public static List<PushPlan.Step> plan(Engine engine, ExtensionRef ref, Stage stage, String registry) {
    LoadedExtension e = LoadedExtension.load(ref);
    return plan(engine, e, ServiceDiscovery.targets(e), stage, registry, true);
  }

  private static List<PushPlan.Step> plan(Engine engine, LoadedExtension e, List<BuildTarget> targets, Stage stage,
                                          String registry, boolean fromLocalImages) {
    // Built from the source where it is pushed: no local image to find, to retag or to be missing.
    Predicate<String> exists = fromLocalImages ? engine::imageExists : image -> true;
    return PushPlan.plan(targets, ServiceDiscovery.version(e), stage, registry, exists,
        "garden build " + e.ref().type().id() + " " + e.ref().name());
  }

  /** One image of a push: its step, what it is built from, and the platforms its service takes. */
  private record Planned(PushPlan.Step step, BuildTarget target, Platforms platforms) {
  }

  /** The push's images, each with the platforms of its service ({@code build.platforms} narrowing the setting). */
  private static List<Planned> planned(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                       Platforms platforms, boolean fromLocalImages) {
    LoadedExtension e = LoadedExtension.load(ref);
    List<BuildTarget> targets = ServiceDiscovery.targets(e);
    return plan(engine, e, targets, stage, registry, fromLocalImages).stream().map(step -> {
      BuildTarget target = targets.stream().filter(t -> t.service().equals(step.service())).findFirst()
          .orElseThrow();
      return new Planned(step, target, platforms.narrowedTo(ServiceDiscovery.platforms(e, target), step.service()));
    }).toList();
  }

  /**
   * What a push would do, one line per image, as a dry run says it: the reference, a retag from -dev, and the
   * platforms of its index (none for the engine's own platform alone). Builds and pushes nothing.
   */
  public static List<String> wouldPush(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                       Platforms platforms) {
    Platform host = engine.nativePlatform();
    return planned(engine, ref, stage, registry, platforms, true).stream().map(p -> p.step().remoteRef()
        + (p.step().retagFromDev() ? " (retagged from " + p.step().devRef() + ")" : "")
        + (p.platforms().isOnly(host) ? "" : " as an index of " + p.platforms().wire())).toList();
  }

  /** The push of the engine's own platform only, as built (a local {@code garden push} before platforms). */
  public static List<Pushed> push(Engine engine, Path repoRoot, ExtensionRef ref, Stage stage, String registry,
                                  Consumer<String> progress) {
    return push(engine, repoRoot, ref, stage, registry, Platforms.only(engine.nativePlatform()),
        BuildOptions.defaults(), progress, Cancellation.none());
  }

  /**
   * @param platforms what to push; the engine's own platform is the image built and tested here, the others are
   *                  built now, from the same sources, by emulation where this machine has it
   * @throws IllegalStateException before anything is built, when a platform cannot be built here or the index would
   *                               have no registry to go to
   */
  public static List<Pushed> push(Engine engine, Path repoRoot, ExtensionRef ref, Stage stage, String registry,
                                  Platforms platforms, BuildOptions options, Consumer<String> progress,
                                  Cancellation cancellation) {
    Platform host = engine.nativePlatform();
    PlatformSupport support = new PlatformSupport(host, PlatformSupport.BINFMT);
    List<Planned> images = planned(engine, ref, stage, registry, platforms, true);
    for (Planned image : images) {
      if (!image.platforms().isOnly(host)) {
        if (registry == null || registry.isBlank()) {
          throw new IllegalStateException("pushing " + image.platforms().wire() + " puts one image index per tag"
              + " through the image registry's API: set GARDEN_IMAGE_REGISTRY (e.g. localhost:5000), or push this"
              + " machine's platform only: GARDEN_PLATFORMS=" + host.wire());
        }
        support.requireAll(image.platforms());
      }
    }
    List<Pushed> pushed = new ArrayList<>();
    ImageDigests digests = ImageDigests.read(repoRoot);
    for (Planned image : images) {
      PushPlan.Step step = image.step();
      cancellation.check("before pushing " + step.remoteRef());
      if (step.retagFromDev()) {
        progress.accept("🏷️  " + step.devRef() + " → " + step.localRef());
        engine.tag(step.devRef(), step.localRef());
      }
      Pushed one = image.platforms().isOnly(host) ? pushOne(engine, step, progress)
          : pushIndex(engine, ref, image.target(), step, image.platforms(), support, options, progress, cancellation);
      pushed.add(one);
      // Recorded under the name the extension uses, as the reference it went to: a cache only, the registry decides.
      digests = digests.with(stage, step.localRef(), step.remoteRef(), one.digest());
      digests.write(repoRoot);
    }
    return pushed;
  }

  private static Pushed pushOne(Engine engine, PushPlan.Step step, Consumer<String> progress) {
    if (!step.remoteRef().equals(step.localRef())) {
      engine.tag(step.localRef(), step.remoteRef());
    }
    progress.accept("⬆️  pushing " + step.remoteRef());
    String digest = engine.push(step.remoteRef(), PUSH_TIMEOUT);
    progress.accept("   " + digest);
    return new Pushed(step.service(), step.remoteRef(), digest, step.retagFromDev());
  }

  private static Pushed pushIndex(Engine engine, ExtensionRef ref, BuildTarget target, PushPlan.Step step,
                                  Platforms platforms, PlatformSupport support, BuildOptions options,
                                  Consumer<String> progress, Cancellation cancellation) {
    for (Platform platform : platforms.list()) {
      String child = childRef(step, platform);
      if (platform.equals(support.nativePlatform())) {
        engine.tag(step.localRef(), child);
      } else {
        buildFor(engine, ref, target, List.of(child), platform, support, options, progress, cancellation);
      }
      pushChild(engine, child, progress);
    }
    return putIndex(step, platforms, progress);
  }

  /** One service's image built for one platform: where it goes, and its local name for a smoke test. */
  public record Built(String service, String ref, Platform platform) {
  }

  /** The tag one platform's images have locally beside their registry name: what a smoke test of them runs. */
  public static String localTag(String version, Stage stage, Platform platform) {
    return stage.tag(version) + "-" + platform.tagSuffix();
  }

  /**
   * One platform's part of a push spread over build workers: each service that takes {@code platform} built for it
   * from the source, here — to go under the stage tag itself when that is the service's only platform, else beside
   * it ({@code 1.0.0-stage-linux-arm64}) for {@link #putIndexes}. Built from the source whatever this worker built
   * before: another worker may have built and tested the extension, and a stale local image must not be what is
   * pushed. Each is also tagged {@link #localTag} without the registry, for a smoke test before the push.
   *
   * @param platforms every platform of the push, which says whether a service's image goes under its tag or beside
   */
  public static List<Built> buildPlatform(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                          Platforms platforms, Platform platform, BuildOptions options,
                                          Consumer<String> progress, Cancellation cancellation) {
    PlatformSupport support = new PlatformSupport(engine.nativePlatform(), PlatformSupport.BINFMT);
    support.requireAll(Platforms.only(platform));
    String version = ServiceDiscovery.version(LoadedExtension.load(ref));
    List<Built> built = new ArrayList<>();
    for (Planned image : planned(engine, ref, stage, registry, platforms, false)) {
      if (!image.platforms().list().contains(platform)) {
        progress.accept("⏭️  " + image.step().service() + " is not built for " + platform.wire()
            + " (build.platforms: " + image.platforms().wire() + ")");
        continue;
      }
      String child = image.platforms().isOnly(platform) ? image.step().remoteRef() : childRef(image.step(), platform);
      String local = image.target().ref(localTag(version, stage, platform));
      buildFor(engine, ref, image.target(), List.of(child, local), platform, support, options, progress,
          cancellation);
      built.add(new Built(image.step().service(), child, platform));
    }
    return built;
  }

  /** Pushes what {@link #buildPlatform} built, each by the digest the registry gives it. */
  public static List<Pushed> pushBuilt(Engine engine, List<Built> built, Consumer<String> progress,
                                       Cancellation cancellation) {
    List<Pushed> pushed = new ArrayList<>();
    for (Built image : built) {
      cancellation.check("before pushing " + image.ref());
      pushed.add(new Pushed(image.service(), image.ref(), pushChild(engine, image.ref(), progress), false,
          List.of(image.platform().wire())));
    }
    return pushed;
  }

  /**
   * The last part of a push spread over build workers: for each service built for several platforms, the image
   * index of the images {@link #pushPlatform} put beside its stage tag, put under the tag; a service of one
   * platform is already there. The children are read back from the registry, which is what the index must name.
   *
   * @throws IllegalStateException when a platform's image is not in the registry (its unit never pushed it)
   */
  public static List<Pushed> putIndexes(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                        Platforms platforms, Consumer<String> progress) {
    List<Pushed> pushed = new ArrayList<>();
    for (Planned image : planned(engine, ref, stage, registry, platforms, false)) {
      PushPlan.Step step = image.step();
      if (image.platforms().list().size() == 1) {
        String digest = ImageRegistryApi.shared().descriptor(ImageRef.parse(step.remoteRef())).digest();
        pushed.add(new Pushed(step.service(), step.remoteRef(), digest, false, List.of(image.platforms().wire())));
      } else {
        pushed.add(putIndex(step, image.platforms(), progress));
      }
    }
    return pushed;
  }

  /** What {@link #pushPlatform} would build and push, one line per image, as a dry run says it. */
  public static List<String> wouldPushPlatform(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                               Platforms platforms, Platform platform) {
    return planned(engine, ref, stage, registry, platforms, false).stream()
        .filter(p -> p.platforms().list().contains(platform))
        .map(p -> (p.platforms().isOnly(platform) ? p.step().remoteRef() : childRef(p.step(), platform))
            + " (built for " + platform.wire() + ")").toList();
  }

  /** What {@link #putIndexes} would put, one line per image, as a dry run says it. */
  public static List<String> wouldPutIndexes(Engine engine, ExtensionRef ref, Stage stage, String registry,
                                             Platforms platforms) {
    return planned(engine, ref, stage, registry, platforms, false).stream()
        .map(p -> p.step().remoteRef() + (p.platforms().list().size() == 1 ? " (" + p.platforms().wire() + " only)"
            : " as an index of " + p.platforms().wire())).toList();
  }

  private static String childRef(PushPlan.Step step, Platform platform) {
    return step.remoteRef() + "-" + platform.tagSuffix();
  }

  private static void buildFor(Engine engine, ExtensionRef ref, BuildTarget target, List<String> tags,
                               Platform platform, PlatformSupport support, BuildOptions options,
                               Consumer<String> progress, Cancellation cancellation) {
    cancellation.check("before building " + tags.get(0));
    ImageBuilder.requireContained(ref, target);
    progress.accept("▶ building " + tags.get(0) + " for " + platform.wire() + ", " + support.describe(platform));
    engine.build(target, null, tags, options.buildArgs(), options.noCache(), options.timeout(),
        line -> progress.accept("  │ " + line), cancellation, null, platform);
  }

  private static String pushChild(Engine engine, String child, Consumer<String> progress) {
    progress.accept("⬆️  pushing " + child);
    return engine.push(child, PUSH_TIMEOUT);
  }

  private static Pushed putIndex(PushPlan.Step step, Platforms platforms, Consumer<String> progress) {
    ImageRegistryApi registry = ImageRegistryApi.shared();
    List<ImageRegistryApi.Child> children = new ArrayList<>();
    for (Platform platform : platforms.list()) {
      String child = childRef(step, platform);
      ImageRegistryApi.Descriptor manifest;
      try {
        manifest = registry.descriptor(ImageRef.parse(child));
      } catch (IllegalStateException e) {
        throw new IllegalStateException("the " + platform.wire() + " image of " + step.remoteRef() + " is not in the"
            + " registry (" + child + "), so no index is put: " + e.getMessage(), e);
      }
      children.add(new ImageRegistryApi.Child(manifest, platform));
    }
    String index = registry.putIndex(ImageRef.parse(step.remoteRef()), children);
    progress.accept("📚 " + step.remoteRef() + " → image index " + index + " (" + platforms.wire() + ")");
    return new Pushed(step.service(), step.remoteRef(), index, step.retagFromDev(),
        platforms.list().stream().map(Platform::wire).toList());
  }
}
