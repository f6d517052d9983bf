package io.garden.common.worker;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.PipelineLog;
import io.garden.common.kafka.EnvelopeRecords;
import io.garden.common.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepName;
import io.garden.common.kafka.BatchedCommits;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Producers;
import io.garden.common.kafka.Topics;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A worker that consumes one request topic and emits result events, one record at a time, in order.
 *
 * <p>Each record goes through the same chain: <b>decode → act → emit → commit</b>. Failures are handled here, once,
 * by their {@link ErrorKind}: a permanent one emits {@code step.failed}, dead-letters the record and moves on; a
 * transient one is retried with {@link Backoff}, then treated as permanent; a fatal one stops the process without
 * committing, so the record is delivered again after a restart. Offsets are committed only after the results are
 * acknowledged (at-least-once), so {@link #act(Envelope)} must be safe to run twice.
 */
public abstract class KafkaWorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWorkerVerticle.class);
  /** Records waiting in memory before the consumer is paused; its poll loop keeps the group membership alive. */
  private static final int MAX_BACKLOG = 20;
  private static final java.time.Duration POLL_TIMEOUT = java.time.Duration.ofMillis(100);
  private static final long COMMIT_INTERVAL_MS = 200;
  private static final long STOP_GRACE_MS = 10_000;

  private final KafkaSettings settings;
  private final String group;
  private final String topic;
  private final Backoff backoff;
  private final Consumer<Throwable> onFatal;
  protected final EventCodec codec = EventCodec.shared();

  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private final InOrder inOrder = new InOrder();
  private int backlog;
  private BatchedCommits commits;
  private volatile boolean stopping;

  /**
   * @param onFatal what to do when the process cannot go on (production: log and exit non-zero)
   */
  protected KafkaWorkerVerticle(KafkaSettings settings, String group, String topic, Backoff backoff,
                                Consumer<Throwable> onFatal) {
    this.settings = settings;
    this.group = group;
    this.topic = topic;
    this.backoff = backoff;
    this.onFatal = onFatal;
  }

  /** Where a record came from; the offset doubles as a fencing token for the single-partition publish topic. */
  public record Delivery(String topic, int partition, long offset) {
  }

  /** Does the work a request asks for and returns the events to emit. Blocking work goes to executeBlocking. */
  protected abstract Future<List<EventPayload>> act(Envelope request, Delivery delivery);

  /** The step named in {@code step.failed} for a request that could not be handled. */
  protected abstract StepName stepOf(Envelope request);

  /** The target named in {@code step.failed} for a request that could not be handled ({@code *}: the repository). */
  protected String targetOf(Envelope request) {
    return "*";
  }

  protected String source() {
    return settings.clientId();
  }

  /**
   * True for workers whose work takes minutes (builds): the consumer is paused while a record is worked on, so no
   * records pile up, and the client's poll loop keeps the group membership alive however long the work takes.
   */
  protected boolean pauseDuringWork() {
    return false;
  }

  /**
   * Runs once a request's results are acknowledged by Kafka, before its offset is committed: what must not happen
   * before they are out (a mark that says they were). Best effort: a failure is logged, the record committed.
   */
  protected Future<Void> afterEmitted(Envelope request, Delivery delivery, List<EventPayload> results) {
    return Future.succeededFuture();
  }

  /** Emits events while the work is still running (progress); call from any thread. */
  protected void emitNow(Envelope request, List<EventPayload> payloads) {
    context.runOnContext(v -> emit(request, payloads).onFailure(e -> LOG.warn("{}: progress event lost: {}", group,
        e.getMessage())));
  }

  @Override
  public Future<?> start() {
    producer = Producers.create(vertx, settings.producer());
    consumer = KafkaConsumer.create(vertx, settings.consumer(group));
    consumer.exceptionHandler(e -> {
      if (!stopping && !BatchedCommits.rebalancing(e)) {
        LOG.warn("{}: consumer error: {}", group, e.getMessage());
      }
    });
    // Tasks on the client (commit, pause, resume) wait behind a poll in progress: keep polls short.
    consumer.pollTimeout(POLL_TIMEOUT);
    commits = new BatchedCommits(vertx, consumer, topic, COMMIT_INTERVAL_MS, group);
    consumer.partitionsAssignedHandler(assigned -> {
      if (!assigned.isEmpty()) {
        LOG.info("{}: took partition(s) {} of {} (joined, or the group rebalanced)", group, partitions(assigned),
            topic);
      }
    });
    consumer.partitionsRevokedHandler(revoked -> {
      revoked.forEach(tp -> commits.revoked(tp.getPartition()));
      if (!revoked.isEmpty() && !stopping) {
        LOG.info("{}: gave back partition(s) {} of {} (the group rebalanced)", group, partitions(revoked), topic);
      }
    });
    consumer.handler(this::enqueue);
    return consumer.subscribe(topic);
  }

  private static String partitions(java.util.Set<io.vertx.kafka.client.common.TopicPartition> set) {
    return set.stream().map(io.vertx.kafka.client.common.TopicPartition::getPartition).sorted()
        .map(String::valueOf).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    // Let the record in hand finish (its offset is not committed otherwise, and it would run again), but bounded:
    // an undeploy must not hang on a stuck handler.
    Future<Void> idle = inOrder.idle();
    Future<Void> drained = Future.any(idle, vertx.timer(STOP_GRACE_MS)).<Void>mapEmpty()
        .andThen(done -> {
          if (!idle.isComplete()) {
            LOG.info("{}: stopping with a record still in progress; it will be delivered again", group);
          }
        });
    // Each closing step is bounded too: a commit or close that never answers must not hang an undeploy.
    return drained.eventually(() -> bounded(commits.close())).eventually(() -> bounded(consumer.close()))
        .eventually(() -> bounded(producer.close()));
  }

  private Future<Void> bounded(Future<Void> step) {
    return Future.any(step, vertx.timer(STOP_GRACE_MS)).mapEmpty();
  }

  private void enqueue(KafkaConsumerRecord<String, byte[]> record) {
    commits.started(record);
    if (++backlog >= MAX_BACKLOG) {
      pausePartitions();
    }
    inOrder.submit(() -> process(record)).andThen(done -> {
      if (--backlog < MAX_BACKLOG / 2) {
        resumePartitions();
      }
    });
  }

  /**
   * Pauses the assigned partitions, not the stream: the client keeps polling (and so keeps its place in the group,
   * however long the work takes) but gets no records. Pausing the Vert.x stream would stop polling altogether and
   * the group would evict us after max.poll.interval.ms, then deliver the record again.
   */
  private Future<Void> pausePartitions() {
    return consumer.assignment().compose(partitions -> partitions.isEmpty() ? Future.succeededFuture()
        : consumer.pause(partitions));
  }

  private Future<Void> resumePartitions() {
    return consumer.paused().compose(partitions -> partitions.isEmpty() ? Future.succeededFuture()
        : consumer.resume(partitions));
  }

  private Future<Void> process(KafkaConsumerRecord<String, byte[]> record) {
    if (stopping) {
      return Future.succeededFuture(); // not committed: the next member of the group gets it
    }
    Envelope received;
    try {
      received = codec.decode(record.value());
    } catch (MalformedEventException e) {
      return deadLetter(record, null, e, ErrorKind.PERMANENT)
          .compose(v -> commit(record))
          .recover(this::fatal);
    }
    // The work is a span of the pipeline's trace: what it emits, and what it does (lock waits, store writes), is
    // in it, because the request it works on now names this span.
    Span span = Tracing.start(group + " " + stepOf(received).wire() + " " + targetOf(received),
        received.traceparent(), SpanKind.CONSUMER);
    span.setAttribute("garden.pipeline.id", received.pipelineId() == null ? "" : received.pipelineId());
    Envelope request = received.inTrace(Tracing.handOn(span, received.traceparent()));
    Delivery delivery = new Delivery(record.topic(), record.partition(), record.offset());
    Future<Void> paused = pauseDuringWork() ? pausePartitions() : Future.succeededFuture();
    return paused.compose(p -> withRetry(() -> act(request, delivery), 1))
        .compose(results -> emit(request, results).compose(v -> afterEmitted(request, delivery, results)
            .recover(e -> {
              LOG.warn("{}: after its results went out: {}", group, e.getMessage());
              return Future.succeededFuture();
            })))
        .andThen(done -> {
          if (done.succeeded()) {
            count("done");
            span.end();
          } else {
            Tracing.fail(span, done.cause());
          }
        })
        .recover(error -> handleFailure(record, request, error))
        .compose(v -> commit(record))
        .andThen(done -> {
          if (pauseDuringWork() && backlog < MAX_BACKLOG) {
            resumePartitions();
          }
        })
        .recover(this::fatal);
  }

  private Future<List<EventPayload>> withRetry(Supplier<Future<List<EventPayload>>> work, int attempt) {
    Future<List<EventPayload>> tried;
    try {
      tried = work.get();
    } catch (RuntimeException e) {
      tried = Future.failedFuture(e);
    }
    return tried.recover(error -> {
      if (ErrorKind.of(error) == ErrorKind.TRANSIENT && backoff.mayRetry(attempt)) {
        long delay = backoff.delayBefore(attempt).toMillis();
        LOG.warn("{}: transient failure (attempt {}), retrying in {} ms: {}", group, attempt, delay,
            error.getMessage());
        count("retried");
        return vertx.timer(Math.max(1, delay)).compose(t -> withRetry(work, attempt + 1));
      }
      return Future.failedFuture(error);
    });
  }

  private Future<Void> handleFailure(KafkaConsumerRecord<String, byte[]> record, Envelope request, Throwable error) {
    ErrorKind kind = ErrorKind.of(error);
    if (kind == ErrorKind.FATAL || stopping) {
      return Future.failedFuture(error);
    }
    String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    List<EventPayload> events = new java.util.ArrayList<>();
    if (error instanceof FailureWithEvents withEvents) {
      events.addAll(withEvents.events());
    }
    if (ErrorKind.isRefusal(error)) {
      // The request was good and the answer is no: a failed step with its reasons, nothing to dead-letter.
      PipelineLog.about(request, () -> LOG.info("{}: refused {}-{}@{}: {}", group, record.topic(),
          record.partition(), record.offset(), reason));
      events.add(new StepFailed(stepOf(request), targetOf(request), reason, ErrorKind.refusalKind(error)));
      count("refused");
      return emit(request, events);
    }
    PipelineLog.about(request, () -> LOG.warn("{}: {} failure on {}-{}@{}: {}", group, kind.id(), record.topic(),
        record.partition(), record.offset(), reason));
    events.add(new StepFailed(stepOf(request), targetOf(request), reason, kind.failureKind()));
    return emit(request, events)
        .compose(v -> deadLetter(record, request, error, kind));
  }

  /** Emits events on the audit stream, in order, keyed by pipeline; completes when all are acknowledged. */
  protected Future<Void> emit(Envelope request, List<EventPayload> payloads) {
    EventContext context = EventContext.of(request, source());
    // Started together, not one after another's ack: one key, one partition, and the producer keeps their order.
    List<Future<?>> sent = new java.util.ArrayList<>();
    for (EventPayload payload : payloads) {
      sent.add(producer.send(EnvelopeRecords.of(Topics.EVENTS, request.pipelineId(),
          codec.envelope(payload, context))));
    }
    return Future.all(sent).mapEmpty();
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, byte[]> record, Envelope request, Throwable error,
                                  ErrorKind kind) {
    count("dead-lettered");
    return DeadLetters.send(producer, record, request, error, kind, group, source());
  }

  /** Records handled, by outcome: on /metrics of a service; nowhere (no registry) inside the CLI. */
  private void count(String outcome) {
    Metrics.counter("garden.worker.records", "consumer", group, "outcome", outcome).increment();
  }

  private Future<Void> commit(KafkaConsumerRecord<String, byte[]> record) {
    return commits.finished(record);
  }

  private Future<Void> fatal(Throwable error) {
    if (stopping) {
      // Undeploying closes the clients under work in progress; the record was not committed and runs again.
      LOG.info("{}: stopped with work in progress ({})", group, error.getMessage());
      return Future.failedFuture(error);
    }
    LOG.error("{}: cannot go on, stopping without committing: {}", group, error.toString(), error);
    onFatal.accept(error);
    return Future.failedFuture(error);
  }

  /** Production fatal handler: log and exit non-zero, so a supervisor restarts us and the record is redelivered. */
  public static void exitProcess(Throwable error) {
    LOG.error("fatal: {}", error.toString());
    System.exit(70);
  }
}
