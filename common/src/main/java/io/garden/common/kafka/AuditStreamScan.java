package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.MalformedEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A stretch of the audit stream read for a few event types only, blocking, on the caller's thread: the records of
 * other types are passed over by a look at their bytes, never decoded. What a gateway's replay ledgers need from a
 * day of history (its deliveries, a few per pipeline) is a small part of it; decoding and handing over every event
 * of the day, record by record on an event loop, made a restart on a busy day's stream slow.
 *
 * <p>A record whose bytes merely mention a wanted type is decoded and then checked: the look may only say "maybe".
 */
public final class AuditStreamScan {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreamScan.class);
  private static final EventCodec CODEC = EventCodec.shared();

  private final List<byte[]> markers;

  /** @param types the event types wanted ({@code delivery.accepted}, ...) */
  public AuditStreamScan(Set<String> types) {
    this.markers = types.stream().map(t -> ("\"type\":\"" + t + "\"").getBytes(StandardCharsets.UTF_8)).toList();
  }

  /**
   * Hands {@code handler} every event of a wanted type from {@code from} (inclusive) up to {@code until}
   * (exclusive), per partition, in partition order; a partition {@code from} does not name is not read.
   *
   * @return how many records were looked at
   */
  public long read(KafkaSettings settings, String name, Map<Integer, Long> from, Map<Integer, Long> until,
                   Consumer<Envelope> handler) {
    Map<TopicPartition, Long> stops = new LinkedHashMap<>();
    Map<TopicPartition, Long> starts = new HashMap<>();
    from.forEach((partition, offset) -> {
      Long stop = until.get(partition);
      if (stop != null && offset < stop) {
        TopicPartition tp = new TopicPartition(Topics.EVENTS, partition);
        stops.put(tp, stop);
        starts.put(tp, offset);
      }
    });
    if (stops.isEmpty()) {
      return 0;
    }
    Map<String, Object> config = new HashMap<>(settings.withConsumerOverrides(Map.of("auto.offset.reset",
        "earliest", "enable.auto.commit", "false", "max.poll.records", "5000",
        "fetch.max.bytes", Integer.toString(32 * 1024 * 1024),
        "max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024)))
        .consumer(name + "-" + UUID.randomUUID()));
    long looked = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(new ArrayList<>(stops.keySet()));
      Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(stops.keySet());
      starts.forEach((tp, offset) -> consumer.seek(tp, Math.max(offset, beginnings.getOrDefault(tp, 0L))));
      while (!stops.isEmpty()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          Long stop = stops.get(tp);
          if (stop == null || record.offset() >= stop) {
            continue;
          }
          looked++;
          if (record.value() != null && wanted(record.value())) {
            decode(record, handler);
          }
        }
        stops.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        consumer.pause(consumer.assignment().stream().filter(tp -> !stops.containsKey(tp)).toList());
      }
    }
    return looked;
  }

  private static void decode(ConsumerRecord<String, byte[]> record, Consumer<Envelope> handler) {
    try {
      handler.accept(CODEC.decode(record.value()));
    } catch (MalformedEventException e) {
      LOG.warn("skipping {}-{}@{} on the audit stream: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
    }
  }

  /** Whether the record's bytes mention one of the wanted types (a plain search; most records say no). */
  boolean wanted(byte[] value) {
    for (byte[] marker : markers) {
      if (indexOf(value, marker) >= 0) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] text, byte[] part) {
    byte first = part[0];
    int last = text.length - part.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (text[i] != first) {
        continue;
      }
      for (int j = 1; j < part.length; j++) {
        if (text[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
