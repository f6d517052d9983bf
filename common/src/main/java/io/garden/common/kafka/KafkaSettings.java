package io.garden.common.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place Kafka client settings are chosen. Every component builds its producers and consumers from here,
 * so delivery guarantees cannot drift between modules.
 */
public final class KafkaSettings {

  private final String bootstrapServers;
  private final String clientId;

  /**
   * @param bootstrapServers the cluster to talk to
   * @param component        the module name; also the consumer group, so each module reads every record once
   * @param host             this machine's name, so operators can tell two instances of a component apart
   */
  private final Map<String, String> consumerOverrides;

  public KafkaSettings(String bootstrapServers, String component, String host) {
    this(bootstrapServers, component + "@" + host, Map.of());
  }

  private KafkaSettings(String bootstrapServers, String clientId, Map<String, String> consumerOverrides) {
    this.bootstrapServers = bootstrapServers;
    this.clientId = clientId;
    this.consumerOverrides = Map.copyOf(consumerOverrides);
  }

  /**
   * The same settings with some consumer properties replaced (tests shorten max.poll.interval.ms, for one), on top
   * of any replaced before.
   */
  public KafkaSettings withConsumerOverrides(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(consumerOverrides);
    merged.putAll(overrides);
    return new KafkaSettings(bootstrapServers, clientId, merged);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String clientId() {
    return clientId;
  }

  public Map<String, String> producer() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", bootstrapServers);
    // Names the connection in broker logs and quotas: which component on which host sent this.
    p.put("client.id", clientId);
    // A result event is only "sent" once every in-sync replica has it; losing audit events is not acceptable.
    p.put("acks", "all");
    // Retries after a lost acknowledgement must not write the same event twice.
    p.put("enable.idempotence", "true");
    // Idempotence keeps order with up to 5 in-flight batches; more would allow reordering on retry.
    p.put("max.in.flight.requests.per.connection", "5");
    // Kafka 4 waits 5 ms by default to fill a batch; our records are small and someone waits on each (an API
    // acknowledgement, the next step of a pipeline), so 1 ms keeps most of the batching at a fifth of the delay.
    p.put("linger.ms", "1");
    // Bounded total time for a send (including retries), so a dead cluster surfaces as an error, not a hang.
    p.put("delivery.timeout.ms", "120000");
    // Keys are ids (pipeline, extension, garden dir): plain strings keep them readable in every tool.
    p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    // Values are envelope bytes from EventCodec; the codec, not Kafka, owns the format.
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return p;
  }

  /**
   * A producer for what someone is waiting on at a door (a POST, a webhook, a chat command): the same guarantees,
   * but a send that Kafka has not acknowledged within {@link #REQUEST_ACK_TIMEOUT_MS} fails and is dropped. With
   * the 120 s of {@link #producer()} the caller was answered with an error, and the request ran later anyway.
   */
  public Map<String, String> requestProducer() {
    Map<String, String> p = producer();
    // The whole send, retries included: after this the record is dropped, never delivered late.
    p.put("delivery.timeout.ms", Long.toString(REQUEST_ACK_TIMEOUT_MS));
    // Must not exceed delivery.timeout.ms - linger.ms; one slow broker answer gets a retry inside the bound.
    p.put("request.timeout.ms", Long.toString(REQUEST_ACK_TIMEOUT_MS / 2));
    // A send waits this long for the cluster's metadata before failing (60 s by default, outside delivery.timeout).
    p.put("max.block.ms", Long.toString(REQUEST_ACK_TIMEOUT_MS / 2));
    return p;
  }

  /** How long a door waits for Kafka to acknowledge a request before answering 503 (documented in OPERATIONS). */
  public static final long REQUEST_ACK_TIMEOUT_MS = 10_000;

  /** Consumer settings for a module's group; offsets are committed by hand after the result is acknowledged. */
  public Map<String, String> consumer(String group) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", bootstrapServers);
    // Same naming as producers: component@host shows up in consumer-group listings.
    c.put("client.id", clientId);
    // One group per module: every module sees every request meant for it, and instances share the partitions.
    c.put("group.id", group);
    // At-least-once: we commit only after the result event is acknowledged, never before the work is done.
    c.put("enable.auto.commit", "false");
    // A new group starts from the beginning so requests sent before the worker started are not skipped.
    c.put("auto.offset.reset", "earliest");
    // Never see records of aborted transactions (other producers may use them).
    c.put("isolation.level", "read_committed");
    // Handlers do slow work (builds, publishes) one record at a time; small polls keep the poll loop responsive.
    c.put("max.poll.records", "50");
    // Under load, wait up to 10 ms for a few records instead of a round trip per record: the broker and the
    // clients spend far less CPU per event, and a record waits at most 10 ms longer when traffic is light.
    c.put("fetch.min.bytes", "8192");
    c.put("fetch.max.wait.ms", "10");
    // Incremental rebalancing: when a member joins or leaves, only the partitions that move change hands. With the
    // eager default every member gives up every partition, and records it finished since its last batched commit
    // are handled again by whoever gets them next (seen: a worker leaving made the others repeat their own work).
    c.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    // A member that dies without leaving (SIGKILL, a lost host) keeps its partitions until the group gives up on
    // it: 45 s by default, during which its work waits. 6 s (the broker's minimum) hands it over in well under 10 s;
    // the cost is that a JVM stalled that long (a GC pause, a frozen VM) is taken for dead and its record may be
    // handled twice, which every handler tolerates (results are idempotent). Heartbeats at a third of it.
    c.put("session.timeout.ms", "6000");
    c.put("heartbeat.interval.ms", "2000");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // Values stay bytes so a record that is not valid JSON can still be dead-lettered exactly as received.
    c.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    c.putAll(consumerOverrides);
    return c;
  }

  public Map<String, Object> admin() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("bootstrap.servers", bootstrapServers);
    a.put("client.id", clientId + "-admin");
    // Admin calls fail fast; callers decide whether to retry.
    a.put("request.timeout.ms", "15000");
    a.put("default.api.timeout.ms", "30000");
    return a;
  }
}
