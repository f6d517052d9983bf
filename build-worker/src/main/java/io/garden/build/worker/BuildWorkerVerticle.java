package io.garden.build.worker;

import io.garden.build.Cancellation;
import io.garden.build.Engine;
import io.garden.common.event.BuildRequested;
import io.garden.common.event.CancelRequested;
import io.garden.common.event.EventTypes;
import io.garden.common.event.StepName;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.platform.Platform;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.Backoff;
import io.garden.common.worker.KafkaWorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.kafka.client.consumer.KafkaConsumer;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Consumes {@code garden.build.requests}: build, test, push one extension through the engine at DOCKER_HOST; emits
 * {@code build.started}, {@code build.progress} (while building), {@code build.finished}, {@code test.finished},
 * {@code push.finished}. Its partitions are paused while it works, so a long build never costs a rebalance or a
 * second delivery. A {@code pipeline.cancel-requested} event on the audit stream stops the pipeline's running build.
 * A worker runs one on the build requests, and one per platform it builds on that platform's push units
 * ({@link #forPlatform}): one build at a time of each.
 */
public final class BuildWorkerVerticle extends KafkaWorkerVerticle {

  public static final String GROUP = io.garden.common.kafka.ConsumerGroups.BUILD_WORKER;

  private final KafkaSettings settings;
  private final BuildSteps steps;
  private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
  private KafkaConsumer<String, byte[]> control;

  /** One build at a time per worker (it pauses its consumer while working); two leaves room for a cancel's cleanup. */
  private static final int ENGINE_THREADS = 2;
  private static final long MAX_BUILD_MINUTES = 120;
  private io.vertx.core.WorkerExecutor engine;

  private final String group;

  public BuildWorkerVerticle(KafkaSettings settings, BuildSteps steps, Consumer<Throwable> onFatal) {
    this(settings, GROUP, Topics.BUILD_REQUESTS, steps, onFatal);
  }

  private BuildWorkerVerticle(KafkaSettings settings, String group, String topic, BuildSteps steps,
                              Consumer<Throwable> onFatal) {
    super(settings, group, topic, Backoff.DEFAULT, onFatal);
    this.settings = settings;
    this.group = group;
    this.steps = steps;
  }

  /**
   * The consumer of one platform's push units ({@link Topics#platformBuild}), in that platform's group, where
   * {@link NativeFirstAssignor} gives the units to native builders first.
   *
   * @param nativeBuilder whether this machine builds {@code platform} natively (else by emulation)
   */
  public static BuildWorkerVerticle forPlatform(KafkaSettings settings, Platform platform, boolean nativeBuilder,
                                                BuildSteps steps, Consumer<Throwable> onFatal) {
    return new BuildWorkerVerticle(settings.withConsumerOverrides(Map.of(
        "partition.assignment.strategy", NativeFirstAssignor.class.getName(),
        NativeFirstAssignor.NATIVE_CONFIG, Boolean.toString(nativeBuilder))),
        ConsumerGroups.platformBuild(platform), Topics.platformBuild(platform), steps, onFatal);
  }

  @Override
  public Future<?> start() {
    // Builds and test suites run for minutes on purpose: their own pool, whose limit is the longest a build may take
    // (the suite's own timeout is far below), so Vert.x does not report a healthy build as a blocked thread.
    engine = vertx.createSharedWorkerExecutor("garden-build-engine-" + group, ENGINE_THREADS, MAX_BUILD_MINUTES,
        TimeUnit.MINUTES);
    // Every instance must see every cancel, and only new ones: its own group, starting at the end.
    control = KafkaConsumer.create(vertx, settings.withConsumerOverrides(Map.of("auto.offset.reset", "latest"))
        .consumer(group + "-control-" + UUID.randomUUID()));
    Promise<Void> assigned = Promise.promise();
    control.partitionsAssignedHandler(partitions -> assigned.tryComplete());
    control.handler(record -> {
      try {
        Envelope e = codec.decode(record.value());
        if (EventTypes.is(e, CancelRequested.class) && e.pipelineId() != null) {
          Cancellation c = running.get(e.pipelineId());
          if (c != null) {
            c.cancel();
          }
        }
      } catch (MalformedEventException ignored) {
        // Not ours to judge: the audit stream's own readers report bad records.
      }
    });
    return control.subscribe(Topics.EVENTS)
        .compose(v -> Future.any(assigned.future(), vertx.timer(30_000)))
        .compose(v -> super.start());
  }

  @Override
  public Future<?> stop() {
    return super.stop().eventually(() -> control.close()).eventually(() -> engine.close());
  }

  @Override
  protected boolean pauseDuringWork() {
    return true;
  }

  @Override
  protected Future<List<EventPayload>> act(Envelope request, Delivery delivery) {
    BuildRequested build = codec.payload(request, BuildRequested.class);
    Cancellation cancellation = new Cancellation();
    String key = request.pipelineId() == null ? request.id() : request.pipelineId();
    running.put(key, cancellation);
    return engine.<List<EventPayload>>executeBlocking(() -> steps.run(build,
            event -> emitNow(request, List.of(event)), cancellation), false)
        .andThen(done -> running.remove(key, cancellation));
  }

  @Override
  protected StepName stepOf(Envelope request) {
    try {
      return codec.payload(request, BuildRequested.class).steps().get(0).stepName();
    } catch (MalformedEventException e) {
      return StepName.BUILD;
    }
  }

  @Override
  protected String targetOf(Envelope request) {
    try {
      return codec.payload(request, BuildRequested.class).extension();
    } catch (MalformedEventException e) {
      return "*";
    }
  }
}
