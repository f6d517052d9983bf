package io.garden.registry.worker;

import io.garden.common.tracing.Tracing;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.StepName;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishRequested;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.Topics;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.garden.registry.publish.StoreSelfTest;
import io.vertx.core.Future;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import org.apache.kafka.clients.admin.Admin;

import java.util.List;
import java.util.function.Consumer;

/**
 * The only consumer of the single-partition {@code garden.registry.publish}: publish, force, direct, unpublish,
 * restore, remove-lock, one at a time in offset order (the offset is the lock's fencing token). Refuses to start
 * when the topic has more than one partition. Emits {@code publish.*} and {@code lock.*} events.
 */
public final class PublishVerticle extends KafkaWorkerVerticle {

  public static final String GROUP = "registry-publisher";

  private final KafkaSettings settings;
  private final GardenConfig config;
  private final RegistryWork work;

  public PublishVerticle(KafkaSettings settings, GardenConfig config, Consumer<Throwable> onFatal) {
    // Publishing is never retried blindly: a transient store failure mid-publish is restored, then reported.
    super(settings, GROUP, Topics.REGISTRY_PUBLISH, new Backoff(1, java.time.Duration.ZERO,
        java.time.Duration.ZERO), onFatal);
    this.settings = settings;
    this.config = config;
    this.work = new RegistryWork(config, settings.clientId());
  }

  @Override
  public Future<?> start() {
    Future<Void> layout = vertx.executeBlocking(() -> {
      try (Admin admin = Admin.create(settings.admin())) {
        new TopicBootstrapper(admin, config.topics()).ensure(Topics.ALL.stream()
            .filter(s -> s.name().equals(Topics.REGISTRY_PUBLISH)).toList());
      }
      return null;
    });
    return layout.compose(v -> vertx.executeBlocking(this::selfTestConfiguredStores)).compose(v -> super.start());
  }

  /**
   * Start-up self-test of every store configured by location (the default store lives in each repository and is
   * tested on its first publish): a store that accepts a stale conditional write is logged now, and refused by
   * every publish to it.
   */
  private Void selfTestConfiguredStores() {
    for (Stage stage : Stage.values()) {
      if (config.store(stage).location() != null) {
        try (ObjectStore store = ObjectStores.open(config.store(stage), Path.of("."))) {
          StoreSelfTest.verify(store);
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(PublishVerticle.class).error("stage {}: {}", stage.id(), e.getMessage());
        }
      }
    }
    return null;
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    PublishRequested publish = codec.payload(request, PublishRequested.class);
    // The publish's lock wait and store writes are spans of the pipeline's trace: its context is current there.
    return vertx.executeBlocking(Tracing.context(request.traceparent())
        .wrap(() -> work.handle(publish, request.pipelineId(), request.id(), delivery.offset())), false);
  }

  /**
   * Once Kafka has a publish's events, its backup is marked finished: a redelivery of the request (this worker died
   * before committing it) then writes and reports nothing again. Best effort: unmarked, a redelivery reports the
   * same decisions once more.
   */
  @Override
  protected Future<Void> afterEmitted(Envelope request, Delivery delivery, List<EventPayload> results) {
    return results.stream().filter(e -> e instanceof PublishFinished f && f.backup() != null).findFirst()
        .map(e -> vertx.<Void>executeBlocking(() -> {
          work.markReported(codec.payload(request, PublishRequested.class), request.pipelineId(), request.id(),
              delivery.offset(), ((PublishFinished) e).backup());
          return null;
        }, false))
        .orElse(Future.succeededFuture());
  }

  @Override
  protected StepName stepOf(Envelope request) {
    try {
      return codec.payload(request, PublishRequested.class).action().stepName();
    } catch (MalformedEventException e) {
      return StepName.PUBLISH_REGISTRY;
    }
  }
}
