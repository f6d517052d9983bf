package io.garden.registry.worker;

import io.garden.common.images.ImagePins;
import io.garden.common.images.ImageRegistryApi;
import io.garden.extension.model.ExtensionRepository;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PublishRequested;
import io.garden.common.event.RegistryPackaged;
import io.garden.common.store.ArtifactKeys;
import io.garden.registry.BuiltRegistry;
import io.garden.common.event.RegistryRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.FailureKind;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.extension.model.ExtensionDiscovery;
import io.garden.common.model.Stage;
import io.garden.common.source.SourceCheckouts;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.common.worker.FailureWithEvents;
import io.garden.common.registry.RegistryFormat;
import io.garden.registry.RegistryOperations;
import io.garden.registry.publish.Faults;
import io.garden.registry.publish.LockOwner;
import io.garden.registry.merge.Action;
import io.garden.registry.publish.PublishOutcome;
import io.garden.registry.publish.PublishRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the registry worker does for a request, as plain blocking Java; the events it caused are returned. */
public final class RegistryWork {

  private final GardenConfig config;
  private final String source;

  private final SourceCheckouts sources;

  public RegistryWork(GardenConfig config, String source) {
    this.config = config;
    this.source = source;
    this.sources = new SourceCheckouts(config.sourceCache());
  }

  public List<EventPayload> handle(RegistryRequested request) {
    return handle(request, null);
  }

  /**
   * @param pipelineId the pipeline asking; a tarball it packages is also stored under
   *                   {@code artifacts/{pipelineId}/} in the artifact store, so steps on other hosts can use it
   */
  public List<EventPayload> handle(RegistryRequested request, String pipelineId) {
    return withOperations(request.source(), null, 0, (ops, root, events) -> {
      Stage stage = Stage.parse(request.stage());
      RegistryFormat format = RegistryFormat.parse(request.format());
      long started = System.nanoTime();
      String summary = switch (request.action()) {
        case BUILD -> {
          BuiltRegistry built = ops.build(stage, format);
          markBuilt(root, pipelineId, request);
          yield "registry for " + stage.id() + ": " + built.apps().size() + " app(s), " + built.tools().size()
              + " tool(s)";
        }
        case PACKAGE -> {
          if (!builtByThisPipeline(root, pipelineId, request)) {
            // Another host (or nobody) built it for this pipeline: build here, packaging never ships stale files.
            ops.build(stage, format);
          }
          Path tarball = ops.pack();
          if (pipelineId != null) {
            storeArtifact(events, root, pipelineId, tarball);
          }
          yield "packaged " + tarball.getFileName();
        }
        case DOWNLOAD -> "downloaded to " + ops.download(stage, format);
        case DRY_RUN -> DryRunVerdict.of(stage, request.extension() == null
            ? ops.publish(stage, format, true, Optional.empty(), Duration.ZERO)
            : ops.publishOne(stage, format, new ExtensionDiscovery(root).resolveId(request.extension()),
                Duration.ZERO, true));
      };
      // A dry run whose publish would FAIL fails its step, as the same dry run exits 1 at a terminal.
      events.add(summary.startsWith(DryRunVerdict.WOULD_FAIL)
          ? new StepFailed(request.action().stepName(), stage.id(), summary, FailureKind.FINDINGS)
          : new StepFinished(request.action().stepName(), stage.id(), millisSince(started), summary));
    });
  }

  /**
   * @param fencingToken the publish record's offset: who published last, in order. A request that {@linkplain
   *                     PublishRequested#onlyPlans() only plans} changes nothing in the store, whatever its action:
   *                     the gateway let it through as a dry run on that promise.
   */
  public List<EventPayload> handle(PublishRequested request, String pipelineId, String requestId,
                                   long fencingToken) {
    return withOperations(request.source(), pipelineId, requestId, fencingToken, request.approvedPlan(),
        (ops, root, events) -> {
      Stage stage = Stage.parse(request.stage());
      RegistryFormat format = RegistryFormat.parse(request.format());
      Duration wait = request.lockWaitSeconds() == null ? PublishRequest.DEFAULT_LOCK_WAIT
          : Duration.ofSeconds(request.lockWaitSeconds());
      boolean dryRun = request.onlyPlans();
      long started = System.nanoTime();
      String unchanged = switch (request.action()) {
        case PUBLISH -> {
          if (request.extension() == null) {
            ops.publish(stage, format, dryRun, Optional.empty(), wait);
          } else {
            ops.publishOne(stage, format, new ExtensionDiscovery(root).resolveId(request.extension()), wait, dryRun);
          }
          yield null;
        }
        case FORCE -> {
          ops.publish(stage, format, dryRun, Optional.of(new ExtensionDiscovery(root)
              .resolveId(required(request.extension(), "extension"))), wait, request.confirmedEmergency());
          yield null;
        }
        case DIRECT -> {
          ops.publishDirect(stage, format, wait, false, dryRun);
          yield null;
        }
        case UNPUBLISH -> {
          String name = required(request.name(), "name");
          PublishOutcome outcome = ops.unpublish(stage, format, name, request.version(), wait, dryRun);
          yield outcome.count(Action.REMOVE) == 0 ? "Nothing to do: nothing named " + name
              + (request.version() == null ? "" : " at version " + request.version()) + " is published for "
              + stage.id() : null;
        }
        case RESTORE -> {
          ops.restore(stage, format, Optional.ofNullable(request.backup()), wait, dryRun);
          yield null;
        }
        case REMOVE_LOCK -> {
          if (dryRun) {
            yield ops.lock(stage, format).isEmpty() ? "Nothing to do: no publish lock for " + stage.id() : null;
          }
          ops.removeLock(stage, format);
          yield null;
        }
        case FORCE_REMOVE_LOCK -> {
          if (dryRun) {
            yield ops.lock(stage, format).isEmpty() ? "Nothing to do: no publish lock for " + stage.id() : null;
          }
          ops.removeLock(stage, format, true);
          yield null;
        }
        case PROMOTE -> {
          ops.promote(required(request.name(), "name"), Optional.ofNullable(request.version()),
              Stage.parse(required(request.from(), "from")), stage, format, dryRun, wait, ImageRegistryApi.shared(),
              move -> { });
          yield null;
        }
      };
      if (unchanged != null) {
        // An unpublish of a name that is not there did nothing: said as a finding (exit 1), as at a terminal.
        events.add(new StepFailed(request.action().stepName(), stage.id(), unchanged, FailureKind.FINDINGS));
        return;
      }
      events.add(new StepFinished(request.action().stepName(), stage.id(), millisSince(started),
          (dryRun ? "dry run of " + request.action() + " to " + stage.id() + ": nothing written"
              : request.action() + " to " + stage.id() + " done")));
    });
  }

  /**
   * Marks the publish whose {@code publish.finished} named {@code backup} finished, now that Kafka has its events:
   * a redelivery of the request then reports nothing twice.
   */
  public void markReported(PublishRequested request, String pipelineId, String requestId, long fencingToken,
                           String backup) {
    withOperations(request.source(), pipelineId, requestId, fencingToken, (ops, root, events) -> ops.markReported(
        Stage.parse(request.stage()), RegistryFormat.parse(request.format()), backup));
  }

  /**
   * Stores the tarball under the pipeline's artifacts and names the key in its {@code registry.packaged} event. A
   * repeat of the request stores the same name again: an unconditional put under a key only this pipeline uses.
   */
  private void storeArtifact(List<EventPayload> events, Path repoRoot, String pipelineId, Path tarball) {
    String key = ArtifactKeys.of(pipelineId, tarball.getFileName().toString());
    try (ObjectStore store = ObjectStores.open(config.artifactStore(), repoRoot)) {
      store.put(key, Files.readAllBytes(tarball));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tarball + " to store it: " + e.getMessage(), e);
    }
    events.replaceAll(e -> e instanceof RegistryPackaged p
        ? new RegistryPackaged(p.path(), p.bytes(), p.sha256(), key) : e);
  }

  /**
   * Notes beside the build output which pipeline built it for which stage and layout, so its package-registry step
   * on this host packages that output instead of building it a second time.
   */
  private static void markBuilt(Path root, String pipelineId, RegistryRequested request) {
    if (pipelineId == null) {
      return;
    }
    try {
      Files.writeString(builtMarker(root), builtBy(pipelineId, request));
    } catch (IOException e) {
      // Only an optimisation: without the note, package-registry builds again.
    }
  }

  private static boolean builtByThisPipeline(Path root, String pipelineId, RegistryRequested request) {
    if (pipelineId == null) {
      return false;
    }
    try {
      return Files.readString(builtMarker(root)).equals(builtBy(pipelineId, request));
    } catch (IOException e) {
      return false;
    }
  }

  private static Path builtMarker(Path root) {
    return root.resolve("build").resolve(".garden-registry-built-by");
  }

  private static String builtBy(String pipelineId, RegistryRequested request) {
    return pipelineId + " " + request.stage() + " " + request.format();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private interface Work {
    void run(RegistryOperations ops, Path root, List<EventPayload> events);
  }

  private List<EventPayload> withOperations(SourceRef sourceRef, String pipelineId, long fencingToken, Work work) {
    return withOperations(sourceRef, pipelineId, null, fencingToken, work);
  }

  private List<EventPayload> withOperations(SourceRef sourceRef, String pipelineId, String requestId,
                                            long fencingToken, Work work) {
    return withOperations(sourceRef, pipelineId, requestId, fencingToken, null, work);
  }

  /** @param approvedPlan the plan digest people approved for a protected stage, or null ({@link ApprovedPlan}) */
  private List<EventPayload> withOperations(SourceRef sourceRef, String pipelineId, String requestId,
                                            long fencingToken, String approvedPlan, Work work) {
    Path root = ExtensionRepository.require(sources.resolve(sourceRef));
    Map<Stage, ObjectStore> opened = new EnumMap<>(Stage.class);
    List<EventPayload> events = Collections.synchronizedList(new ArrayList<>());
    try {
      RegistryOperations ops = new RegistryOperations(root,
          stage -> opened.computeIfAbsent(stage, s -> ObjectStores.open(config.store(s), root)),
          Clock.systemUTC(), ApprovedPlan.guarding(approvedPlan, events::add),
          new LockOwner(source, config.host(), ProcessHandle.current().pid(), pipelineId, fencingToken)
              .answering(requestId),
          Faults.NONE, config.backupKeep(), ImagePins.of(config.imageRegistry())).reportingThroughKafka();
      work.run(ops, root, events);
      return List.copyOf(events);
    } catch (RuntimeException failure) {
      throw new FailureWithEvents(failure, events);
    } finally {
      opened.values().forEach(ObjectStore::close);
    }
  }



  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the request needs '" + field + "'");
    }
    return value;
  }
}
