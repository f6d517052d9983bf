package io.garden.validate.worker;

import io.garden.extension.model.ExtensionRepository;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.StepName;
import io.garden.common.event.ValidateRequested;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.source.SourceCheckouts;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * Consumes {@code garden.validate.requests}; runs sync-compose / check / validate; emits {@code sync.finished},
 * {@code validate.finished} and {@code step.finished}/{@code step.failed} on {@code garden.events}.
 */
public final class ValidateWorkerVerticle extends KafkaWorkerVerticle {

  public static final String GROUP = "validate-worker";

  private final SourceCheckouts sources;

  /** Reads local sources only. */
  public ValidateWorkerVerticle(KafkaSettings settings, Consumer<Throwable> onFatal) {
    this(settings, SourceCheckouts.localOnly(), onFatal);
  }

  public ValidateWorkerVerticle(KafkaSettings settings, SourceCheckouts sources, Consumer<Throwable> onFatal) {
    super(settings, GROUP, Topics.VALIDATE_REQUESTS, Backoff.DEFAULT, onFatal);
    this.sources = sources;
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    ValidateRequested validate = codec.payload(request, ValidateRequested.class);
    // File reads and YAML parsing are blocking; ordered=false lets several requests use the worker pool.
    return vertx.executeBlocking(() -> ValidateSteps.run(validate,
        ExtensionRepository.require(sources.resolve(validate.source()))), false);
  }

  @Override
  protected StepName stepOf(Envelope request) {
    try {
      return codec.payload(request, ValidateRequested.class).steps().get(0).stepName();
    } catch (MalformedEventException e) {
      return StepName.VALIDATE;
    }
  }
}
