package io.garden.registry.worker;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PublishRequested;
import io.garden.common.event.RegistryRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFinished;
import io.garden.common.model.ExtensionDiscovery;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.common.worker.FailureWithEvents;
import io.garden.registry.RegistryFormat;
import io.garden.registry.RegistryOperations;
import io.garden.registry.publish.Faults;
import io.garden.registry.publish.LockOwner;
import io.garden.registry.publish.PublishRequest;

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

  public RegistryWork(GardenConfig config, String source) {
    this.config = config;
    this.source = source;
  }

  public List<EventPayload> handle(RegistryRequested request) {
    return withOperations(request.source(), null, 0, (ops, events) -> {
      Stage stage = Stage.parse(request.stage());
      RegistryFormat format = RegistryFormat.parse(request.format());
      long started = System.nanoTime();
      String action = request.action() == null ? "" : request.action();
      switch (action) {
        case "build" -> ops.build(stage, format);
        case "package" -> {
          ops.build(stage, format);
          ops.pack();
        }
        case "download" -> ops.download(stage, format);
        case "dry-run" -> ops.publish(stage, format, true, Optional.empty(), Duration.ZERO);
        default -> throw new IllegalArgumentException("unknown registry action '" + action
            + "'; this worker runs: build, package, download, dry-run");
      }
      events.add(new StepFinished(action, stage.id(), (System.nanoTime() - started) / 1_000_000, action + " done"));
    });
  }

  /** @param fencingToken the publish record's offset: who published last, in order */
  public List<EventPayload> handle(PublishRequested request, String pipelineId, long fencingToken) {
    return withOperations(request.source(), pipelineId, fencingToken, (ops, events) -> {
      Stage stage = Stage.parse(request.stage());
      RegistryFormat format = RegistryFormat.parse(request.format());
      Duration wait = request.lockWaitSeconds() == null ? PublishRequest.DEFAULT_LOCK_WAIT
          : Duration.ofSeconds(request.lockWaitSeconds());
      long started = System.nanoTime();
      switch (request.action()) {
        case "publish" -> ops.publish(stage, format, false, Optional.empty(), wait);
        case "force" -> ops.publish(stage, format, false, Optional.of(new ExtensionDiscovery(SourceRef.localRoot(request.source()))
            .resolveId(required(request.extension(), "extension"))), wait);
        case "direct" -> ops.publishDirect(stage, format, wait);
        case "unpublish" -> ops.unpublish(stage, format, required(request.name(), "name"), wait);
        case "restore" -> ops.restore(stage, format, Optional.ofNullable(request.backup()), wait);
        case "remove-lock" -> ops.removeLock(stage, format);
        default -> throw new IllegalArgumentException("unknown publish action '" + request.action()
            + "'; this worker runs: publish, force, direct, unpublish, restore, remove-lock");
      }
      events.add(new StepFinished(request.action(), stage.id(), (System.nanoTime() - started) / 1_000_000,
          request.action() + " done"));
    });
  }

  private interface Work {
    void run(RegistryOperations ops, List<EventPayload> events);
  }

  private List<EventPayload> withOperations(SourceRef sourceRef, String pipelineId, long fencingToken, Work work) {
    Path root = SourceRef.localRoot(sourceRef);
    Map<Stage, ObjectStore> opened = new EnumMap<>(Stage.class);
    List<EventPayload> events = Collections.synchronizedList(new ArrayList<>());
    try {
      RegistryOperations ops = new RegistryOperations(root,
          stage -> opened.computeIfAbsent(stage, s -> ObjectStores.open(config.store(s), root)),
          Clock.systemUTC(), events::add,
          new LockOwner(source, config.host(), ProcessHandle.current().pid(), pipelineId, fencingToken),
          Faults.NONE);
      work.run(ops, events);
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
