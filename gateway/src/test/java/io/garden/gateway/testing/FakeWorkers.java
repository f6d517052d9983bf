package io.garden.gateway.testing;

import io.garden.common.event.BuildRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PublishAction;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishRequested;
import io.garden.common.event.RegistryRequested;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.ValidateRequested;
import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stand-ins for the workers, on the real broker: every step request is answered with a {@code step.finished} for
 * its step and target (a publish also with a {@code publish.finished}), caused by the request as a real worker's
 * answer is. The gateway's tests need the coordinator's conversation, not the work: that is the workers' own tests.
 * The registry requests can be held back, as a stopped registry worker would leave them.
 */
public final class FakeWorkers implements AutoCloseable {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final String SOURCE = "fake-worker@it";

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaConsumer<String, byte[]> builds;
  private final KafkaProducer<String, byte[]> producer;
  private final List<KafkaConsumerRecord<String, byte[]>> heldBack = new ArrayList<>();
  private volatile boolean registryAway;

  private FakeWorkers(KafkaConsumer<String, byte[]> consumer, KafkaConsumer<String, byte[]> builds,
                      KafkaProducer<String, byte[]> producer) {
    this.consumer = consumer;
    this.builds = builds;
    this.producer = producer;
  }

  public static FakeWorkers start(Vertx vertx, String bootstrapServers) {
    KafkaSettings settings = new KafkaSettings(bootstrapServers, "fake-workers", "it");
    Map<String, String> config = new HashMap<>(settings.consumer("fake-workers"));
    config.put("enable.auto.commit", "true");
    // Build requests in the build worker's own group: the coordinator of a deployment looks for its members.
    Map<String, String> buildConfig = new HashMap<>(settings.consumer(ConsumerGroups.BUILD_WORKER));
    buildConfig.put("enable.auto.commit", "true");
    FakeWorkers workers = new FakeWorkers(KafkaConsumer.create(vertx, config), KafkaConsumer.create(vertx, buildConfig),
        KafkaProducer.create(vertx, settings.producer()));
    workers.consumer.handler(workers::answer);
    workers.builds.handler(workers::answer);
    workers.consumer.subscribe(Set.of(Topics.VALIDATE_REQUESTS, Topics.REGISTRY_REQUESTS, Topics.REGISTRY_PUBLISH))
        .await();
    workers.builds.subscribe(Set.of(Topics.BUILD_REQUESTS)).await();
    return workers;
  }

  /** Registry and publish requests wait, unanswered, until {@link #registryBack()}. */
  public void registryAway() {
    registryAway = true;
  }

  public void registryBack() {
    registryAway = false;
    List<KafkaConsumerRecord<String, byte[]>> waiting;
    synchronized (heldBack) {
      waiting = List.copyOf(heldBack);
      heldBack.clear();
    }
    waiting.forEach(this::answer);
  }

  private void answer(KafkaConsumerRecord<String, byte[]> record) {
    if (registryAway && (record.topic().equals(Topics.REGISTRY_REQUESTS)
        || record.topic().equals(Topics.REGISTRY_PUBLISH))) {
      synchronized (heldBack) {
        heldBack.add(record);
      }
      return;
    }
    Envelope request = CODEC.decode(record.value());
    EventContext context = EventContext.of(request, SOURCE);
    for (EventPayload payload : answers(CODEC.payload(request))) {
      producer.send(KafkaProducerRecord.create(Topics.EVENTS, request.pipelineId(), CODEC.encode(payload, context)));
    }
  }

  private static List<EventPayload> answers(EventPayload request) {
    if (request instanceof ValidateRequested validate) {
      return List.of(new StepFinished(validate.steps().get(0).stepName(), "*", 1, "fake: done"));
    }
    if (request instanceof RegistryRequested registry) {
      return List.of(new StepFinished(registry.action().stepName(), registry.stage(), 1, "fake: done"));
    }
    if (request instanceof PublishRequested publish) {
      List<EventPayload> events = new ArrayList<>();
      if (publish.action() == PublishAction.PUBLISH || publish.action() == PublishAction.FORCE) {
        events.add(new PublishFinished(publish.stage(), "fake store", 1, 0, 0, 0, true, null));
      }
      events.add(new StepFinished(publish.action().stepName(), publish.stage(), 1, "fake: done"));
      return events;
    }
    if (request instanceof BuildRequested build) {
      return List.of(new StepFinished(StepName.valueOf(build.steps().get(0).name()), build.extension(), 1,
          "fake: done"));
    }
    return List.of();
  }

  @Override
  public void close() {
    consumer.close().await();
    builds.close().await();
    producer.close().await();
  }
}
