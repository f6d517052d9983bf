package io.garden.gateway.intake;

import io.garden.gateway.views.PipelineViews;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.PipelineRequested;
import io.garden.common.kafka.EnvelopeRecords;
import io.garden.common.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * How every door of the gateway (the API, the webhooks, chat-ops) starts a pipeline: its request goes on
 * {@code garden.pipeline.requests}, and once Kafka has it, the pipeline shows as queued until the coordinator
 * starts it.
 */
public final class PipelineQueue {

  private final KafkaProducer<String, byte[]> producer;
  private final PipelineViews views;
  private final EventCodec codec = EventCodec.shared();

  public PipelineQueue(KafkaProducer<String, byte[]> producer, PipelineViews views) {
    this.producer = producer;
    this.views = views;
  }

  /** @return the pipeline's id, once the request is acknowledged */
  public Future<String> submit(PipelineRequested request, EventContext context) {
    Envelope envelope = codec.envelope(request, context);
    String id = context.pipelineId();
    return producer.send(EnvelopeRecords.of(Topics.PIPELINE_REQUESTS, id, envelope))
        .map(ack -> {
          views.accepted(new PipelineViews.Queued(id, request, context.actor(), envelope.time()));
          return id;
        });
  }
}
