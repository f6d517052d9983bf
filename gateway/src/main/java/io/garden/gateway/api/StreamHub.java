package io.garden.gateway.api;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;

import io.garden.common.kafka.AuditStreamReader;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live audit stream fanned out to every event-stream client that follows it from now: one reader per gateway
 * (the pipeline views', which hands each event over once folded in), however many clients, each behind its own
 * bounded {@link StreamClient}. Before, each client had a Kafka consumer of its own and frames were written
 * whether or not it read. Confined to the gateway's event loop.
 */
final class StreamHub {

  private final Map<Long, Subscriber> subscribers = new LinkedHashMap<>();
  private final EventCodec codec = EventCodec.shared();
  private long nextKey;

  private record Subscriber(EventFilter filter, StreamClient client, Predicate<AuditStreamReader.Positioned> owed) {
  }

  /** @return what ends the subscription (the connection closed) */
  Runnable subscribe(EventFilter filter, StreamClient client) {
    return subscribe(filter, client, event -> true);
  }

  /**
   * @param owed asked of every live event, matching or not, before the filter: whether this client is owed it (a
   *             client handing over from its history reader, {@link HandOver})
   * @return what ends the subscription (the connection closed)
   */
  Runnable subscribe(EventFilter filter, StreamClient client, Predicate<AuditStreamReader.Positioned> owed) {
    long key = nextKey++;
    subscribers.put(key, new Subscriber(filter, client, owed));
    return () -> subscribers.remove(key);
  }

  int size() {
    return subscribers.size();
  }

  /**
   * @param position the stream position just after this event (where a client that saw it resumes); worked out
   *                 only when some client wants the event
   */
  void publish(AuditStreamReader.Positioned positioned, java.util.function.Supplier<String> position) {
    if (subscribers.isEmpty()) {
      return;
    }
    Envelope event = positioned.envelope();
    String id = null;
    String frame = null;
    var each = List.copyOf(subscribers.entrySet()).iterator();
    while (each.hasNext()) {
      var entry = each.next();
      Subscriber s = entry.getValue();
      if (!s.owed().test(positioned) || !s.filter().matches(event)) {
        continue;
      }
      if (frame == null) {
        id = position.get();
        frame = frame(codec, id, event);
      }
      if (!s.client().send(id, frame)) {
        subscribers.remove(entry.getKey());
      }
    }
  }

  /** One Server-Sent Event: its position as the id, its type as the event name, the envelope as data. */
  static String frame(EventCodec codec, String id, Envelope event) {
    return "id: " + id + "\nevent: " + event.type() + "\ndata: "
        + new String(codec.encode(event), StandardCharsets.UTF_8) + "\n\n";
  }
}
