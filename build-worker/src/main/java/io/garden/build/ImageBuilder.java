package io.garden.build;

import io.garden.extension.model.ExtensionFiles;
import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.Stage;
import io.garden.extension.BuildTarget;
import io.garden.extension.ComposeSyncer;
import io.garden.extension.LoadedExtension;
import io.garden.extension.ServiceDiscovery;
import io.garden.extension.SyncResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * build (SPEC §8): sync-compose first, as {@code make build} did, so the appgarden file carries the current version;
 * then every service image, tagged {@code {version}-dev} and (locally only) {@code latest}.
 */
public final class ImageBuilder {

  /** One built image. */
  public record Built(String service, String repository, String tag, String imageId, long durationMs) {
  }

  private ImageBuilder() {
  }

  /**
   * sync-compose, as every build does first (the appgarden file then carries the current version), and the
   * extension as it then is.
   *
   * @param before what it comes before, for the error ("the build", "the smoke test")
   */
  public static LoadedExtension syncCompose(ExtensionRef ref, String before) {
    SyncResult sync = ComposeSyncer.sync(LoadedExtension.load(ref), false);
    if (sync.failsCheck()) {
      throw new IllegalArgumentException(ref.id() + ": sync-compose failed before " + before + ": "
          + String.join("; ", sync.findings().stream().map(f -> f.text()).toList()));
    }
    return LoadedExtension.load(ref);
  }

  /**
   * The context is sent to the engine as it is: nothing in it, nor the Dockerfile, may lead outside the extension
   * (a repository is anyone's pull request).
   */
  static void requireContained(ExtensionRef ref, BuildTarget target) {
    ExtensionFiles.requireContainedTree(ref.dir(), target.context());
    ExtensionFiles.contained(ref.dir(), target.dockerfile());
  }

  public static List<Built> build(Engine engine, ExtensionRef ref, BuildOptions options, Consumer<String> progress) {
    return build(engine, ref, options, progress, Cancellation.none());
  }

  public static List<Built> build(Engine engine, ExtensionRef ref, BuildOptions options, Consumer<String> progress,
                                  Cancellation cancellation) {
    LoadedExtension e = syncCompose(ref, "the build");
    String version = ServiceDiscovery.version(e);
    List<Built> built = new ArrayList<>();
    for (BuildTarget target : ServiceDiscovery.targets(e)) {
      cancellation.check("before building " + target.repository());
      requireContained(ref, target);
      String tag = Stage.DEV.tag(version);
      progress.accept("▶ " + ref.id() + ": building " + target.ref(tag) + " from "
          + ref.dir().relativize(target.dockerfile()));
      long started = System.nanoTime();
      String id = engine.build(target, List.of(target.ref(tag), target.ref("latest")), options.buildArgs(),
          options.noCache(), options.timeout(), line -> progress.accept("  │ " + line), cancellation);
      built.add(new Built(target.service(), target.repository(), tag, id, (System.nanoTime() - started) / 1_000_000));
    }
    return built;
  }
}
