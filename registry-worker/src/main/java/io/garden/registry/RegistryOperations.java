package io.garden.registry;

import io.garden.common.images.ImageRegistryApi;
import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.RegistryBuilt;
import io.garden.common.event.RegistryPackaged;
import io.garden.common.images.ImagePins;
import io.garden.common.model.AtomicFiles;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.Finding;
import io.garden.common.model.ForceGuard;
import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import io.garden.common.registry.PublishedIndex;
import io.garden.common.registry.RemoteLayout;
import io.garden.common.store.ContentHash;
import io.garden.common.store.ObjectStore;
import io.garden.extension.LoadedExtension;
import io.garden.extension.RepositoryReport;
import io.garden.extension.RepositoryValidator;
import io.garden.extension.Selection;
import io.garden.registry.merge.Planner;
import io.garden.registry.promote.Promotion;
import io.garden.registry.publish.Backups;
import io.garden.registry.publish.Faults;
import io.garden.registry.publish.LockOwner;
import io.garden.registry.publish.PublishListener;
import io.garden.registry.publish.PublishLock;
import io.garden.registry.publish.PublishOutcome;
import io.garden.registry.publish.PublishRefusedException;
import io.garden.registry.publish.PublishRequest;
import io.garden.registry.publish.RegistryPublisher;
import io.garden.registry.publish.Sleeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every registry command (SPEC §5–7) over one repository and its per-stage stores; what the CLI and the registry
 * worker both call. Blocking: the worker runs it through executeBlocking. Longer than most classes here because it
 * is the one facade over the publisher, the stores and the pins: each method is a few lines that compose the rule
 * classes ({@code Planner}, {@code Promotion}, {@code RegistryPublisher}), so a door never assembles them itself.
 */
public final class RegistryOperations {

  public static final String LOCAL_BACKUPS = "build/registry-backups";
  public static final String DOWNLOADS = "build/downloaded-registry";

  private final Path repoRoot;
  private final Function<Stage, ObjectStore> stores;
  private final Clock clock;
  private final PublishListener listener;
  private final LockOwner owner;
  private final Faults faults;
  private final int backupKeep;
  private final ImagePins pins;
  private final Map<Stage, RegistryPublisher> publishers = new LinkedHashMap<>();
  private boolean reportsThroughKafka;

  public RegistryOperations(Path repoRoot, Function<Stage, ObjectStore> stores, Clock clock, PublishListener listener,
                            LockOwner owner, Faults faults) {
    this(repoRoot, stores, clock, listener, owner, faults, Backups.DEFAULT_KEEP);
  }

  /** @param backupKeep backups kept per stage ({@code GARDEN_BACKUP_KEEP}) */
  public RegistryOperations(Path repoRoot, Function<Stage, ObjectStore> stores, Clock clock, PublishListener listener,
                            LockOwner owner, Faults faults, int backupKeep) {
    this(repoRoot, stores, clock, listener, owner, faults, backupKeep, ImagePins.none());
  }

  /**
   * @param pins the image registry the index's digests are read from ({@code GARDEN_IMAGE_REGISTRY}): whoever pushed
   *             an image, from whichever checkout, the registry says what its tag is
   */
  public RegistryOperations(Path repoRoot, Function<Stage, ObjectStore> stores, Clock clock, PublishListener listener,
                            LockOwner owner, Faults faults, int backupKeep, ImagePins pins) {
    this.pins = pins;
    this.backupKeep = backupKeep;
    this.repoRoot = repoRoot;
    this.stores = stores;
    this.clock = clock;
    this.listener = listener;
    this.owner = owner;
    this.faults = faults;
  }

  public BuiltRegistry build(Stage stage, RegistryFormat format) {
    return announced(stage, format, RegistryBuilder.build(repoRoot, stage, format, pins));
  }

  private BuiltRegistry announced(Stage stage, RegistryFormat format, BuiltRegistry built) {
    listener.on(new RegistryBuilt(stage.id(), format.name().toLowerCase(java.util.Locale.ROOT), built.apps().size(),
        built.tools().size(), repoRoot.relativize(built.dir()).toString(),
        (int) built.problems().stream().filter(Finding::isError).count()));
    return built;
  }

  public Path pack() {
    Path tarball = RegistryPackager.pack(repoRoot, clock);
    try {
      byte[] bytes = Files.readAllBytes(tarball);
      listener.on(new RegistryPackaged(repoRoot.relativize(tarball).toString(), bytes.length,
          ContentHash.sha256(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tarball;
  }

  /**
   * publish-registry: rebuild for the stage → validate → publish under the lock. {@code force} (dev only) publishes
   * that one extension, replacing every remote entry of its name.
   */
  public PublishOutcome publish(Stage stage, RegistryFormat format, boolean dryRun, Optional<ExtensionRef> force,
                                Duration lockWait) {
    return publish(stage, format, dryRun, force, lockWait, false);
  }

  /**
   * The same; {@code emergency} lets a {@code force} through on stage and prod (confirmed by the user, and allowed and
   * recorded by the gateway's policy when it comes through one), said in the output before anything is written.
   */
  public PublishOutcome publish(Stage stage, RegistryFormat format, boolean dryRun, Optional<ExtensionRef> force,
                                Duration lockWait, boolean emergency) {
    if (force.isPresent() && stage != Stage.DEV && !emergency) {
      throw new IllegalArgumentException(ForceGuard.message(stage.id()));
    }
    BuiltRegistry built = buildAndValidate(stage, format);
    Planner planner;
    if (force.isPresent()) {
      String name = manifestName(force.get());
      planner = Planner.upsert(file -> entriesNamed(built, file, name), Set.of(name));
    } else {
      planner = Planner.upsert(built::entries, Set.of());
    }
    if (!dryRun) {
      uploadImages(stage, format, built);
    }
    return publisher(stage).publish(request(stage, format, dryRun, lockWait), planner);
  }

  /**
   * publish-registry of one extension (a chat command's {@code publish x to prod}): only its entry is planned
   * against the stage, by the same version rules; the others stay as published.
   */
  public PublishOutcome publishOne(Stage stage, RegistryFormat format, ExtensionRef extension, Duration lockWait) {
    return publishOne(stage, format, extension, lockWait, false);
  }

  /** @param dryRun plan against the stage's index and write nothing */
  public PublishOutcome publishOne(Stage stage, RegistryFormat format, ExtensionRef extension, Duration lockWait,
                                   boolean dryRun) {
    BuiltRegistry built = buildAndValidate(stage, format);
    String name = manifestName(extension);
    if (!dryRun) {
      uploadImages(stage, format, built);
    }
    return publisher(stage).publish(request(stage, format, dryRun, lockWait),
        Planner.upsert(file -> entriesNamed(built, file, name), Set.of()));
  }

  /**
   * promote, its plan: the entry named {@code name} published on {@code from} (the newest, unless {@code version}),
   * as {@code to} will get it, and the image tags to add first. Reads the store only, never the repository.
   */
  public Promotion promotion(String name, Optional<String> version, Stage from, Stage to, RegistryFormat format) {
    Map<String, List<IndexEntry>> published = published(from, format);
    String file = published.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(entry -> entry.name().equals(name))).map(Map.Entry::getKey)
        .findFirst().orElse(BuiltRegistry.APPS);
    return Promotion.plan(file, name, published.get(file), version, from, to);
  }

  /**
   * promote, its publish: the entry's preview copied from {@code from}'s store, then the entry published on
   * {@code to} under the lock by the usual version rules. The caller has tagged the images ({@link Promotion#moves}).
   */
  public PublishOutcome publish(Promotion promotion, Stage from, Stage to, RegistryFormat format, boolean dryRun,
                                Duration lockWait) {
    if (!dryRun) {
      copyPreview(promotion.entry(), from, to, format);
    }
    return publisher(to).publish(request(to, format, dryRun, lockWait), Planner.upsert(
        file -> file.equals(promotion.indexFile()) ? List.of(promotion.entry()) : List.of(), Set.of()));
  }

  /**
   * promote, whole: the plan, each image tagged for {@code to} on its tested digest (before any index names the
   * tag: a published entry never points at a missing image), then the publish. A dry run tags nothing.
   *
   * @param tagged told of each tag, added or (in a dry run) that would be
   */
  public Promoted promote(String name, Optional<String> version, Stage from, Stage to, RegistryFormat format,
                          boolean dryRun, Duration lockWait, ImageRegistryApi registry,
                          Consumer<Promotion.ImageMove> tagged) {
    Promotion promotion = promotion(name, version, from, to, format);
    for (Promotion.ImageMove move : promotion.moves()) {
      if (!dryRun) {
        registry.tag(move.source(), move.target().tag());
      }
      tagged.accept(move);
    }
    return new Promoted(promotion, publish(promotion, from, to, format, dryRun, lockWait));
  }

  /** What a promote published, and the plan it followed. */
  public record Promoted(Promotion promotion, PublishOutcome outcome) {
  }

  private void copyPreview(IndexEntry entry, Stage from, Stage to, RegistryFormat format) {
    entry.previewFile(format).ifPresent(image -> {
      String fromKey = new RemoteLayout(from, format).file(image);
      String toKey = new RemoteLayout(to, format).file(image);
      stores.apply(from).get(fromKey).ifPresent(o -> putIfChanged(stores.apply(to), toKey, o.body()));
    });
  }

  /** An object already there with the same bytes is not written again. */
  private static void putIfChanged(ObjectStore store, String key, byte[] bytes) {
    if (store.get(key).map(o -> !java.util.Arrays.equals(o.body(), bytes)).orElse(true)) {
      store.put(key, bytes);
    }
  }

  private static List<IndexEntry> entriesNamed(BuiltRegistry built, String file, String name) {
    return built.entries(file).stream().filter(e -> e.name().equals(name)).toList();
  }

  /** publish-registry-direct: the remote index becomes the local one, no version checks (still locked, CAS). */
  public PublishOutcome publishDirect(Stage stage, RegistryFormat format, Duration lockWait) {
    return publishDirect(stage, format, lockWait, false);
  }

  /** @param allowEmpty whether an empty local registry may replace the stage's index (emptying the stage) */
  public PublishOutcome publishDirect(Stage stage, RegistryFormat format, Duration lockWait, boolean allowEmpty) {
    return publishDirect(stage, format, lockWait, allowEmpty, false);
  }

  /** @param dryRun the decisions only: nothing is uploaded or written */
  public PublishOutcome publishDirect(Stage stage, RegistryFormat format, Duration lockWait, boolean allowEmpty,
                                      boolean dryRun) {
    BuiltRegistry built = buildAndValidate(stage, format);
    if (!allowEmpty && built.apps().isEmpty() && built.tools().isEmpty()) {
      throw new IllegalArgumentException("Error: the local registry is empty: publishing it directly would remove"
          + " every entry of " + stage.id() + ". Pass --allow-empty if that is what you want.");
    }
    if (!dryRun) {
      uploadImages(stage, format, built);
    }
    return publisher(stage).publish(request(stage, format, dryRun, lockWait), Planner.replaceWith(built::entries));
  }

  /**
   * Puts the built registry's preview images in the store before the index that refers to them is written; an
   * image already there with the same bytes is not written again.
   */
  private void uploadImages(Stage stage, RegistryFormat format, BuiltRegistry built) {
    ObjectStore store = stores.apply(stage);
    RemoteLayout layout = new RemoteLayout(stage, format);
    Path images = built.dir().resolve(format.imagesDir());
    if (!Files.isDirectory(images)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(images)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String key = layout.file(format.image(file.getFileName().toString()));
        putIfChanged(store, key, Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built images in " + images + ": " + e.getMessage(), e);
    }
  }

  public PublishOutcome unpublish(Stage stage, RegistryFormat format, String name, Duration lockWait) {
    return unpublish(stage, format, name, lockWait, false);
  }

  /** @param dryRun the entries that would leave the index, nothing removed */
  public PublishOutcome unpublish(Stage stage, RegistryFormat format, String name, Duration lockWait, boolean dryRun) {
    return unpublish(stage, format, name, null, lockWait, dryRun);
  }

  /** @param version the one version to remove; null: every version of {@code name} */
  public PublishOutcome unpublish(Stage stage, RegistryFormat format, String name, String version, Duration lockWait,
                                  boolean dryRun) {
    return publisher(stage).publish(request(stage, format, dryRun, lockWait), Planner.remove(name, version));
  }

  /**
   * restore-registry: puts a backup back under the lock, the newest that parses unless one is named. It never needs
   * to parse the current index: that may be exactly what is broken.
   */
  public PublishOutcome restore(Stage stage, RegistryFormat format, Optional<String> backup, Duration lockWait) {
    return restore(stage, format, backup, lockWait, false);
  }

  /** @param dryRun what putting the backup back would change, nothing written */
  public PublishOutcome restore(Stage stage, RegistryFormat format, Optional<String> backup, Duration lockWait,
                                boolean dryRun) {
    ObjectStore store = stores.apply(stage);
    Backups backups = new Backups(store, new RemoteLayout(stage, format));
    List<String> stamps = backups.stamps();
    if (stamps.isEmpty()) {
      throw new IllegalStateException("no backups for stage " + stage.id() + " in " + store.describe());
    }
    String stamp;
    if (backup.isPresent()) {
      stamp = backup.get();
      if (!stamps.contains(stamp)) {
        throw new IllegalArgumentException("Error: no backup " + stamp + " for stage " + stage.id() + "; available: "
            + String.join(", ", stamps));
      }
    } else {
      stamp = backups.newestThatParses(RegistryPublisher.FILES).orElseThrow(() -> new IllegalStateException(
          "none of the " + stamps.size() + " backups of stage " + stage.id() + " parses; restore one by hand"));
    }
    Map<String, List<IndexEntry>> content = backups.read(stamp, RegistryPublisher.FILES);
    return publisher(stage).publish(request(stage, format, dryRun, lockWait), Planner.replaceWith(content::get));
  }

  public Optional<PublishLock> removeLock(Stage stage, RegistryFormat format) {
    return removeLock(stage, format, false);
  }

  /** @param force remove it even when its holder may still be publishing (a live lease not known to be dead) */
  public Optional<PublishLock> removeLock(Stage stage, RegistryFormat format, boolean force) {
    return publisher(stage).locks().remove(new RemoteLayout(stage, format).lock(), force, owner.host(),
        request(stage, format, false, Duration.ZERO).removeLockCommand() + " --force");
  }

  /** The stage's publish lock as it is now, read only (what a dry run of remove-publish-lock reports). */
  public Optional<PublishLock> lock(Stage stage, RegistryFormat format) {
    return publisher(stage).locks().peek(new RemoteLayout(stage, format).lock());
  }

  /** The published index of a stage, per file. */
  public Map<String, List<IndexEntry>> published(Stage stage, RegistryFormat format) {
    ObjectStore store = stores.apply(stage);
    RemoteLayout layout = new RemoteLayout(stage, format);
    Map<String, List<IndexEntry>> result = new LinkedHashMap<>();
    // As one whole publish left it: a publish writing now (or dead half way) is not half read.
    PublishedIndex.read(store, layout, RegistryPublisher.FILES).forEach((file, object) -> result.put(file,
        object.map(o -> RegistryJson.parse(o.body(), layout.index(file))).orElse(List.of())));
    return result;
  }

  /** download-registry: copies the stage's published index to {@code build/downloaded-registry/{stage}/}. */
  public Path download(Stage stage, RegistryFormat format) {
    Path dir = repoRoot.resolve(DOWNLOADS).resolve(stage.id()).resolve("garden").resolve(format.dir());
    ObjectStore store = stores.apply(stage);
    RemoteLayout layout = new RemoteLayout(stage, format);
    published(stage, format).forEach((file, entries) -> {
      AtomicFiles.write(dir.resolve(file), RegistryJson.render(entries));
      // The images the index refers to come along, so the download is a registry that works offline.
      entries.stream().flatMap(e -> e.previewFile(format).stream()).distinct().forEach(image ->
          store.get(layout.file(image)).ifPresent(o -> AtomicFiles.write(dir.resolve(image), o.body())));
    });
    return dir;
  }

  public String storeDescription(Stage stage) {
    return stores.apply(stage).describe();
  }

  private BuiltRegistry buildAndValidate(Stage stage, RegistryFormat format) {
    // One read of the repository serves both the build and its validation.
    Selection selection = Selection.all(new ExtensionDiscovery(repoRoot));
    List<LoadedExtension> loaded = selection.extensions().parallelStream().map(LoadedExtension::load).toList();
    BuiltRegistry built = announced(stage, format,
        RegistryBuilder.build(repoRoot, stage, format, selection, loaded, pins));
    RepositoryReport report = RepositoryValidator.validate(loaded, selection.rejected());
    // Unreadable files and rejected folders are in both lists; the build adds only its own registry.* rules.
    List<Finding> errors = new java.util.ArrayList<>(report.extensions().stream()
        .flatMap(r -> r.findings().stream()).filter(Finding::isError).toList());
    built.problems().stream().filter(Finding::isError).filter(f -> f.rule().startsWith("registry."))
        .forEach(errors::add);
    if (stage != Stage.DEV) {
      // What stage and prod publish must be what is in the registry: an image not there (or not knowable) refuses.
      built.problems().stream().filter(f -> f.rule().equals(RegistryBuilder.NOT_PUSHED)
          || f.rule().equals(RegistryBuilder.UNRESOLVED)).forEach(errors::add);
    }
    if (!errors.isEmpty()) {
      List<String> lines = errors.stream().map(f -> f.extension() + ": " + f.text()).limit(5).toList();
      throw new PublishRefusedException("Publish refused, nothing written: " + errors.size()
          + " validation error(s) (" + String.join("; ", lines) + "). Run: garden validate");
    }
    return built;
  }

  private static String manifestName(ExtensionRef ref) {
    return LoadedExtension.load(ref).manifest().map(m -> m.path("name"))
        .filter(JsonNode::isTextual).map(JsonNode::asText)
        .orElseThrow(() -> new IllegalArgumentException("Error: " + ref.id() + " has no kamiwaza.json name to force"));
  }

  private PublishRequest request(Stage stage, RegistryFormat format, boolean dryRun, Duration lockWait) {
    return new PublishRequest(stage, format, dryRun, owner, lockWait, PublishRequest.DEFAULT_LEASE,
        repoRoot.resolve(LOCAL_BACKUPS), reportsThroughKafka);
  }

  /**
   * For a worker: its publishes are marked finished by {@link #markReported} once Kafka has their events, not when
   * their writes are done, so a worker that dies in between reports the publish on redelivery, once.
   */
  public RegistryOperations reportingThroughKafka() {
    this.reportsThroughKafka = true;
    return this;
  }

  /**
   * Marks the publish that took {@code backup} ({@code backups/dev/STAMP}, as publish.finished names it) finished:
   * its events are out, and a redelivery of its request says nothing again.
   */
  public void markReported(Stage stage, RegistryFormat format, String backup) {
    new Backups(stores.apply(stage), new RemoteLayout(stage, format)).mark(io.garden.common.release.Release.stampOf(backup), owner, true);
  }

  private RegistryPublisher publisher(Stage stage) {
    return publishers.computeIfAbsent(stage, s -> new RegistryPublisher(stores.apply(s), clock, Sleeper.REAL,
        listener, faults, backupKeep));
  }
}
