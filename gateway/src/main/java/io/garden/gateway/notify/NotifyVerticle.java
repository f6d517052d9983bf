package io.garden.gateway.notify;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventTypes;
import io.garden.common.event.NotificationSent;
import io.garden.common.kafka.AuditStreamScan;
import io.garden.common.kafka.EventsFollower;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Producers;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells people what they should know ({@link Notices}) through the configured sinks. It follows
 * {@code garden.events} in its own consumer group: decode → post to each sink (retried with back-off) → say
 * {@code notification.sent} → commit. After a restart the events it had not committed come again; the
 * {@code notification.sent} events from its committed position on (read before it subscribes) say which sinks
 * already have them, so each sink gets each notice once. A sink that stays down is given up on after the back-off
 * (logged): it never holds up a pipeline. A Slack webhook URL is a credential: never in a log line.
 */
public final class NotifyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NotifyVerticle.class);
  public static final String GROUP = "garden-notify";
  /** About two minutes of trying: a receiver being redeployed comes back within that. */
  public static final Backoff BACKOFF = new Backoff(8, Duration.ofSeconds(1), Duration.ofSeconds(60));
  /** Notices being posted at once; past it the consumer waits (a sink that is down must not fill the memory). */
  static final int MAX_IN_FLIGHT = 64;
  private static final String SENT_TYPE = EventTypes.nameOf(NotificationSent.class);

  private final KafkaSettings kafka;
  private final NotifySettings settings;
  private final Notices notices;
  private final Backoff backoff;
  private final EventCodec codec = EventCodec.shared();
  private final SentNotices sent = new SentNotices(10_000);

  private EventsFollower events;
  private KafkaProducer<String, byte[]> producer;
  private HttpClient http;
  private int inFlight;

  public NotifyVerticle(KafkaSettings kafka, NotifySettings settings, Backoff backoff) {
    this.kafka = kafka;
    this.settings = settings;
    this.notices = new Notices(settings);
    this.backoff = backoff;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
    producer = Producers.create(vertx, kafka.producer());
    // A new notifier starts with what happens from now on, not with every failure ever.
    events = EventsFollower.fromNow(vertx, kafka, GROUP);
    return vertx.executeBlocking(this::alreadySent, false).compose(found -> {
      found.forEach(n -> sent.add(n.event(), n.sink()));
      if (!found.isEmpty()) {
        LOG.info("notify: {} notice(s) were sent before the last stop and are not sent again", found.size());
      }
      LOG.info("notify: {}", settings);
      return events.follow(this::onRecord);
    });
  }

  @Override
  public Future<?> stop() {
    return (events == null ? Future.succeededFuture() : events.close()).eventually(() -> producer.close())
        .eventually(() -> http.close());
  }

  /**
   * The notices said sent after this group's committed position: the events it may see again. Blocking; none for
   * a group that has committed nothing (it starts at the end).
   */
  private List<NotificationSent> alreadySent() throws Exception {
    Map<Integer, Long> from = new HashMap<>();
    Map<Integer, Long> until = new HashMap<>();
    try (Admin admin = Admin.create(kafka.admin())) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.forEach((tp, offset) -> {
        if (offset != null && tp.topic().equals(Topics.EVENTS)) {
          from.put(tp.partition(), offset.offset());
          latest.put(tp, OffsetSpec.latest());
        }
      });
      if (latest.isEmpty()) {
        return List.of();
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
          .get(30, TimeUnit.SECONDS);
      ends.forEach((tp, end) -> until.put(tp.partition(), end.offset()));
    }
    List<NotificationSent> found = new java.util.ArrayList<>();
    new AuditStreamScan(Set.of(SENT_TYPE)).read(kafka, "notify-replay", from, until, envelope -> {
      if (envelope.type().equals(SENT_TYPE)) {
        found.add(codec.payload(envelope, NotificationSent.class));
      }
    });
    return found;
  }

  private void onRecord(KafkaConsumerRecord<String, byte[]> record) {
    Optional<Envelope> envelope = decode(record);
    Optional<Notice> notice = envelope.flatMap(e -> {
      try {
        return notices.of(e, codec.payload(e));
      } catch (RuntimeException unreadable) {
        return Optional.empty(); // a payload this version cannot read: nothing to tell
      }
    });
    if (notice.isEmpty()) {
      events.finished(record);
      return;
    }
    if (++inFlight >= MAX_IN_FLIGHT) {
      events.pause();
    }
    Future<Void> all = Future.succeededFuture();
    for (SinkRequest request : SinkRequest.all(settings, notice.get())) {
      if (!sent.contains(notice.get().event(), request.sink())) {
        all = all.compose(v -> deliver(record, envelope.get(), notice.get(), request));
      }
    }
    all.onComplete(done -> {
      events.finished(record);
      if (inFlight-- == MAX_IN_FLIGHT) {
        events.resume();
      }
    });
  }

  private Optional<Envelope> decode(KafkaConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(record.value()));
    } catch (RuntimeException notAnEvent) {
      return Optional.empty();
    }
  }

  /** Posts until a 2xx or the back-off gives up, then says so; always completes successfully. */
  private Future<Void> deliver(KafkaConsumerRecord<String, byte[]> record, Envelope envelope, Notice notice,
                               SinkRequest request) {
    return post(request, notice, 1).compose(attempts -> {
      if (attempts == 0) {
        return Future.succeededFuture();
      }
      sent.add(notice.event(), request.sink());
      Envelope said = codec.envelope(new NotificationSent(notice.event(), request.sink(), notice.kind(), attempts),
          new EventContext(envelope.pipelineId(), envelope.correlationId(), envelope.actor(), kafka.clientId(),
              envelope.id()));
      // Beside the event it announces: a replay from this group's committed offset there finds it.
      return producer.send(KafkaProducerRecord.create(Topics.EVENTS, record.key(), codec.encode(said), null,
              record.partition())).<Void>mapEmpty()
          .recover(e -> {
            LOG.warn("notify: {} was sent to {}, but saying so failed ({}): after a restart it may be sent again",
                notice.event(), request.sink(), e.getMessage());
            return Future.succeededFuture();
          });
    });
  }

  /** @return the attempts it took, 0 when it was given up on */
  private Future<Integer> post(SinkRequest request, Notice notice, int attempt) {
    return send(request).transform(result -> {
      if (result.succeeded() && result.result() >= 200 && result.result() < 300) {
        return Future.succeededFuture(attempt);
      }
      int code = result.succeeded() ? result.result() : 0;
      String why = result.succeeded() ? "HTTP " + code : String.valueOf(result.cause().getMessage());
      boolean retry = code == 0 || code == 408 || code == 429 || code >= 500;
      if (!retry || !backoff.mayRetry(attempt)) {
        LOG.warn("notify: the {} notice of {} ({}) was not taken by {} after {} attempt(s): {}", notice.kind(),
            notice.pipeline(), notice.event(), request.sink(), attempt, why);
        return Future.succeededFuture(0);
      }
      Promise<Integer> later = Promise.promise();
      vertx.setTimer(backoff.delayBefore(attempt).toMillis(), t -> post(request, notice, attempt + 1)
          .onComplete(later));
      return later.future();
    });
  }

  private Future<Integer> send(SinkRequest request) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(request.url().toString()).putHeader("User-Agent", "garden-pipeline").setTimeout(10_000);
    request.headers().forEach(options::putHeader);
    return http.request(options).compose(r -> r.send(Buffer.buffer(request.body())))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }
}
