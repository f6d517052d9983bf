package io.garden.registry.worker;

import io.garden.common.tracing.Tracing;

import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.StepName;
import io.garden.common.event.RegistryRequested;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * Consumes {@code garden.registry.requests} (build, package, download, dry-run); emits {@code registry.built},
 * {@code registry.packaged}, {@code publish.planned} and {@code step.finished}/{@code step.failed}.
 */
public final class RegistryRequestsVerticle extends KafkaWorkerVerticle {

  public static final String GROUP = "registry-worker";

  private final RegistryWork work;

  public RegistryRequestsVerticle(KafkaSettings settings, GardenConfig config, Consumer<Throwable> onFatal) {
    super(settings, GROUP, Topics.REGISTRY_REQUESTS, Backoff.DEFAULT, onFatal);
    this.work = new RegistryWork(config, settings.clientId());
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    RegistryRequested registry = codec.payload(request, RegistryRequested.class);
    return vertx.executeBlocking(Tracing.context(request.traceparent())
        .wrap(() -> work.handle(registry, request.pipelineId())), false);
  }

  @Override
  protected StepName stepOf(Envelope request) {
    try {
      return codec.payload(request, RegistryRequested.class).action().stepName();
    } catch (MalformedEventException e) {
      return StepName.BUILD_REGISTRY;
    }
  }
}
