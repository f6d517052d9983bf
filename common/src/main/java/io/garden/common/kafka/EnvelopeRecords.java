package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.tracing.Tracing;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/**
 * A record carrying one envelope, with its trace context also in the W3C {@code traceparent} header, where
 * Kafka-aware tracing tools look for it.
 */
public final class EnvelopeRecords {

  private EnvelopeRecords() {
  }

  public static KafkaProducerRecord<String, byte[]> of(String topic, String key, Envelope envelope) {
    KafkaProducerRecord<String, byte[]> record = KafkaProducerRecord.create(topic, key,
        EventCodec.shared().encode(envelope));
    if (envelope.traceparent() != null) {
      record.addHeader(Tracing.HEADER, envelope.traceparent());
    }
    return record;
  }
}
