package io.garden.common.worker;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.RecordDeadLettered;
import io.garden.common.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * Puts a record no handler can use on {@code garden.deadletter} exactly as received, with the error and its origin in
 * headers, and says so on the audit stream. One way of doing it for every consumer.
 */
public final class DeadLetters {

  private DeadLetters() {
  }

  /**
   * @param request the decoded request, when it could be decoded (its context goes on the notice)
   * @param group   the consumer group that gave up on it
   */
  public static Future<Void> send(KafkaProducer<String, byte[]> producer, KafkaConsumerRecord<String, byte[]> record,
                                  Envelope request, Throwable error, ErrorKind kind, String group, String source) {
    String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    KafkaProducerRecord<String, byte[]> dead = KafkaProducerRecord.create(Topics.DEADLETTER, record.key(),
            record.value())
        .addHeader(Topics.HEADER_ERROR, reason)
        .addHeader(Topics.HEADER_ERROR_KIND, kind.id())
        .addHeader(Topics.HEADER_ORIGINAL_TOPIC, record.topic())
        .addHeader(Topics.HEADER_ORIGINAL_PARTITION, Integer.toString(record.partition()))
        .addHeader(Topics.HEADER_ORIGINAL_OFFSET, Long.toString(record.offset()))
        .addHeader(Topics.HEADER_CONSUMER, group);
    EventContext context = request == null ? new EventContext(null, null, null, source)
        : EventContext.of(request, source);
    RecordDeadLettered notice = new RecordDeadLettered(group, record.topic(), record.partition(), record.offset(),
        reason);
    return producer.send(dead).compose(m -> producer.send(KafkaProducerRecord.create(Topics.EVENTS,
        context.pipelineId(), EventCodec.shared().encode(notice, context)))).mapEmpty();
  }
}
