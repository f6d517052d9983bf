package io.garden.registry.worker;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PublishRequested;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.TopicBootstrapper;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.vertx.core.Future;
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
  private final RegistryWork work;

  public PublishVerticle(KafkaSettings settings, GardenConfig config, Consumer<Throwable> onFatal) {
    // Publishing is never retried blindly: a transient store failure mid-publish is restored, then reported.
    super(settings, GROUP, Topics.REGISTRY_PUBLISH, new Backoff(1, java.time.Duration.ZERO,
        java.time.Duration.ZERO), onFatal);
    this.settings = settings;
    this.work = new RegistryWork(config, settings.clientId());
  }

  @Override
  public Future<?> start() {
    Future<Void> layout = vertx.executeBlocking(() -> {
      try (Admin admin = Admin.create(settings.admin())) {
        new TopicBootstrapper(admin, (short) 1).ensure(Topics.ALL.stream()
            .filter(s -> s.name().equals(Topics.REGISTRY_PUBLISH)).toList());
      }
      return null;
    });
    return layout.compose(v -> super.start());
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    PublishRequested publish = codec.payload(request, PublishRequested.class);
    return vertx.executeBlocking(() -> work.handle(publish, request.pipelineId(), delivery.offset()), false);
  }

  @Override
  protected String stepOf(Envelope request) {
    return "publish";
  }
}
