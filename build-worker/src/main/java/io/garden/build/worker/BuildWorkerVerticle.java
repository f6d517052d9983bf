package io.garden.build.worker;

import io.garden.build.Engine;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * Consumes {@code garden.build.requests}: build, test, push one extension through the engine at DOCKER_HOST; emits
 * {@code build.started}, {@code build.progress} (while building), {@code build.finished}, {@code test.finished},
 * {@code push.finished}. Its consumer is paused while it works, so a long build never costs a rebalance or a
 * second delivery.
 */
public final class BuildWorkerVerticle extends KafkaWorkerVerticle {

  public static final String GROUP = "build-worker";

  private final BuildSteps steps;

  public BuildWorkerVerticle(KafkaSettings settings, Engine engine, String imageRegistry,
                             Consumer<Throwable> onFatal) {
    super(settings, GROUP, Topics.BUILD_REQUESTS, Backoff.DEFAULT, onFatal);
    this.steps = new BuildSteps(engine, imageRegistry);
  }

  @Override
  protected boolean pauseDuringWork() {
    return true;
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    BuildRequested build = codec.payload(request, BuildRequested.class);
    return vertx.executeBlocking(() -> steps.run(build, event -> emitNow(request, List.of(event))), false);
  }

  @Override
  protected String stepOf(Envelope request) {
    return "build";
  }
}
