package io.garden.gateway.coordinator;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.CancelRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineLog;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.Trigger;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.StepStarted;
import io.garden.common.kafka.AuditStreamReader;
import io.garden.common.kafka.EnvelopeRecords;
import io.garden.common.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.garden.common.kafka.BatchedCommits;
import io.garden.common.kafka.EventBudget;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.Producers;
import io.garden.common.kafka.LowWatermark;
import io.garden.common.kafka.RestorePoints;
import io.garden.common.kafka.Topics;
import io.garden.common.worker.DeadLetters;
import io.garden.common.worker.ErrorKind;
import io.garden.common.worker.InOrder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs pipelines: consumes {@code garden.pipeline.requests}, plans each one, sends its steps to the workers and
 * advances it from the results on {@code garden.events}, to one {@code pipeline.finished}.
 *
 * <p>All its state is a fold over the audit stream ({@link PipelineRun}): at start it replays the stream before it
 * takes a request, so a restarted coordinator carries on where the old one stopped. It replays only from its restore
 * point ({@link RestorePoints}, moved every few seconds up to the first event of the oldest open pipeline), so a restart costs what is open, not the stream's whole history. Several instances share the
 * request partitions (one consumer group); each advances the pipelines whose requests it owns. Every decision goes
 * through one ordered chain, so decisions never race each other; but the chain never waits for Kafka: planning
 * (which lists the repository) runs beside it, and sends are only started there. The producer keeps their order
 * per partition, a failed send is fatal, and a request's offset is committed once everything it caused is acked.
 */
public final class CoordinatorVerticle extends VerticleBase {

  public static final String GROUP = "coordinator";
  /** The name of its restore point on the audit stream. */
  public static final String RESTORE_POINT = "coordinator";
  private static final long COMMIT_INTERVAL_MS = 100;
  /** Cancels of pipelines not started yet (queued): kept until the pipeline starts, the oldest dropped beyond. */
  private static final int MAX_EARLY_CANCELS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorVerticle.class);
  /** Who rejects a write nobody approved in time. */
  static final String EXPIRY = "system:expiry";
  /** How often waiting writes are looked at for expiry: an expiry is said within this of its time. */
  private static final long EXPIRY_CHECK_MS = 2_000;

  private final KafkaSettings settings;
  private final CoordinatorSettings coordinator;
  private final Consumer<Throwable> onFatal;
  private final EventCodec codec = EventCodec.shared();
  private final Clock clock = Clock.systemUTC();

  private final Map<String, PipelineRun> runs = new HashMap<>();
  /** Pipelines that ended lately: a redelivered request for one of them starts nothing. */
  private final EndedPipelines ended = new EndedPipelines(clock);
  private final Map<String, Envelope> earlyCancels = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Envelope> eldest) {
      return size() > MAX_EARLY_CANCELS;
    }
  };
  private final LowWatermark watermark = new LowWatermark();
  private final Set<Integer> owned = new HashSet<>();
  private int requestPartitions = 1;
  private boolean live;

  private KafkaProducer<String, byte[]> producer;
  private Admin admin;
  private long checkpointTimer = -1;
  private long expiryTimer = -1;
  private AuditStreamReader audit;
  private KafkaConsumer<String, byte[]> requests;
  private final InOrder inOrder = new InOrder();
  private volatile boolean stopping;
  /** Requests are committed in batches (a commit is a broker round trip); a redelivered one is ignored anyway. */
  private BatchedCommits commits;

  private final CoordinatorStatus status;

  public CoordinatorVerticle(KafkaSettings settings, CoordinatorSettings coordinator, CoordinatorStatus status,
                             Consumer<Throwable> onFatal) {
    this.settings = settings;
    this.coordinator = coordinator;
    this.status = status;
    this.onFatal = onFatal;
  }

  @Override
  public Future<?> start() {
    producer = Producers.create(vertx, settings.producer());
    requests = KafkaConsumer.create(vertx, settings.consumer(GROUP));
    requests.pollTimeout(Duration.ofMillis(100)); // its commits wait behind a poll in progress
    status.catchingUp();
    return vertx.executeBlocking(() -> {
          admin = Admin.create(settings.admin());
          return RestorePoints.read(admin, RESTORE_POINT);
        })
        .compose(point -> AuditStreamReader.open(vertx, settings, "coordinator-replay",
            AuditStreamReader.StartAt.at(point), event -> chain(() -> onEvent(event))))
        .compose(reader -> {
          audit = reader;
          return reader.caughtUp();
        })
        .compose(v -> chain(this::goLive))
        .andThen(v -> checkpointTimer = vertx.setPeriodic(coordinator.restorePoint().toMillis(),
            t -> chain(this::checkpoint)))
        .andThen(v -> expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MS, t -> chain(this::expireApprovals)))
        .compose(v -> requests.partitionsFor(Topics.PIPELINE_REQUESTS))
        .compose(partitions -> {
          requestPartitions = Math.max(1, partitions.size());
          requests.partitionsAssignedHandler(assigned -> {
            status.live();
            chain(() -> adopt(assigned));
          });
          requests.partitionsRevokedHandler(revoked -> {
            revoked.forEach(tp -> {
              owned.remove(tp.getPartition());
              commits.revoked(tp.getPartition());
            });
            if (!revoked.isEmpty() && !stopping) {
              LOG.info("coordinator: gave back request partition(s) {} (the group rebalanced)",
                  revoked.stream().map(TopicPartition::getPartition).sorted().toList());
            }
          });
          requests.exceptionHandler(e -> {
            if (!BatchedCommits.rebalancing(e)) {
              LOG.warn("coordinator: consumer error: {}", e.getMessage());
            }
          });
          commits = new BatchedCommits(vertx, requests, Topics.PIPELINE_REQUESTS, COMMIT_INTERVAL_MS, GROUP);
          requests.handler(record -> {
            commits.started(record);
            Future<PipelineStart.Planned> planned = plan(record);
            chain(() -> onRequest(record, planned));
          });
          status.joining();
          return requests.subscribe(Topics.PIPELINE_REQUESTS);
        });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    status.stopped();
    if (checkpointTimer >= 0) {
      vertx.cancelTimer(checkpointTimer);
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    Future<Void> drained = Future.any(inOrder.idle(), vertx.timer(10_000)).mapEmpty();
    return drained.eventually(() -> commits == null ? Future.succeededFuture() : commits.close()).eventually(() -> requests.close())
        .eventually(() -> audit == null ? Future.succeededFuture() : audit.close())
        .eventually(() -> producer.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          if (admin != null) {
            admin.close(Duration.ofSeconds(5));
          }
          return null;
        }));
  }

  /** Runs one piece of work after everything before it; a failure is fatal (the state may be behind). */
  private Future<Void> chain(java.util.function.Supplier<Future<Void>> work) {
    return inOrder.submit(work).recover(this::fatal);
  }

  private Future<Void> fatal(Throwable error) {
    if (stopping) {
      LOG.info("coordinator: stopping; unfinished work is picked up from Kafka on the next start ({})",
          error.getMessage());
      return Future.succeededFuture();
    }
    LOG.error("coordinator: cannot go on: {}", error.toString(), error);
    onFatal.accept(error);
    return Future.succeededFuture();
  }

  private Future<Void> goLive() {
    live = true;
    LOG.info("coordinator: state rebuilt from the audit stream: {} pipeline(s) in progress", runs.size());
    return Future.succeededFuture();
  }

  /**
   * Moves the restore point up to the oldest open pipeline. A failure is only logged: the old point is still a safe
   * place to restart from, just an older one.
   */
  private Future<Void> checkpoint() {
    Map<Integer, Long> point = watermark.checkpoint(audit.positions());
    if (point.isEmpty() || stopping) {
      return Future.succeededFuture();
    }
    vertx.executeBlocking(() -> {
      RestorePoints.write(admin, RESTORE_POINT, point);
      return null;
    }, false).onFailure(e -> LOG.warn("coordinator: restore point not moved (a restart reads further back): {}",
        e.getMessage()));
    return Future.succeededFuture();
  }

  /** Newly owned request partitions: carry on with their unfinished pipelines (a restart, a rebalance). */
  private Future<Void> adopt(Set<TopicPartition> assigned) {
    assigned.forEach(tp -> owned.add(tp.getPartition()));
    // Each run goes into the chain behind this piece, not into a compose chain of its own as long as all open runs.
    int resumed = 0;
    for (PipelineRun run : List.copyOf(runs.values())) {
      if (owns(run.id()) && !run.isFinished()) {
        resumed++;
        chain(() -> advance(run));
      }
    }
    if (!assigned.isEmpty()) {
      // One line per hand-over: which request partitions this gateway now coordinates, and what it picked up.
      LOG.info("coordinator: took request partition(s) {} of {}; {} pipeline(s) in progress there resumed",
          assigned.stream().map(TopicPartition::getPartition).sorted().toList(), Topics.PIPELINE_REQUESTS, resumed);
    }
    return Future.succeededFuture();
  }

  private boolean owns(String pipelineId) {
    int partition = Utils.toPositive(Utils.murmur2(pipelineId.getBytes(StandardCharsets.UTF_8))) % requestPartitions;
    return owned.contains(partition);
  }

  // ---- the audit stream: fold, then act on what is ours ----

  private Future<Void> onEvent(AuditStreamReader.Positioned event) {
    Envelope envelope = event.envelope();
    String id = envelope.pipelineId();
    if (id == null || ended.contains(id)) {
      return Future.succeededFuture();
    }
    EventPayload payload;
    try {
      payload = codec.payload(envelope);
    } catch (MalformedEventException e) {
      return Future.succeededFuture();
    }
    PipelineRun run = runs.get(id);
    if (run == null && !begins(id, envelope, payload)) {
      return Future.succeededFuture();
    }
    run = runFor(id);
    watermark.opened(id, event.partition(), event.offset());
    run.apply(envelope, payload);
    if (run.isFinished()) {
      ended(id);
      return Future.succeededFuture();
    }
    return live && owns(id) ? advance(run) : Future.succeededFuture();
  }

  /**
   * Whether an event of a pipeline this coordinator does not hold begins one (its request or start). Anything else
   * is about a pipeline that ended before the restore point, or not started yet: only a cancel of the latter
   * matters, and waits for it.
   */
  private boolean begins(String id, Envelope envelope, EventPayload payload) {
    if (payload instanceof PipelineRequested || payload instanceof PipelineStarted) {
      return true;
    }
    if (payload instanceof CancelRequested) {
      earlyCancels.putIfAbsent(id, envelope);
    } else if (payload instanceof PipelineFinished) {
      ended.add(id);
    }
    return false;
  }

  /** The run of a pipeline, made with the cancel that came before it started, if any. */
  private PipelineRun runFor(String id) {
    return runs.computeIfAbsent(id, k -> {
      PipelineRun run = new PipelineRun(k);
      Envelope cancel = earlyCancels.remove(k);
      if (cancel != null) {
        run.apply(cancel, codec.payload(cancel));
      }
      return run;
    });
  }

  private void ended(String id) {
    runs.remove(id);
    ended.add(id);
    watermark.closed(id);
  }

  /** Carries out what the run says comes next: dispatch units, or finish. */
  private Future<Void> advance(PipelineRun run) {
    Future<Void> done = Future.succeededFuture();
    for (Decision decision : run.next(coordinator.maxParallel())) {
      done = done.compose(v -> {
        if (decision instanceof Decision.Dispatch d) {
          return dispatch(run, d);
        }
        if (decision instanceof Decision.RequestApproval r) {
          return askApproval(run, r);
        }
        return finish(run, (Decision.Finish) decision);
      });
    }
    return done;
  }

  /** Says the write waits for people ({@code approval.requested}), recorded at once so it is asked once. */
  private Future<Void> askApproval(PipelineRun run, Decision.RequestApproval r) {
    PipelineStarted plan = run.started().orElseThrow();
    ApprovalRequested request = new ApprovalRequested(plan.stage(), r.step(), r.plan(), r.required(),
        run.requester(), clock.instant().plus(coordinator.protection().approvalWait()));
    run.approvalRequested(request);
    Envelope envelope = codec.envelope(request, context(run));
    PipelineLog.about(envelope, () -> LOG.info("pipeline {} waits for {} approval(s) of its {} to {} (plan {})",
        run.id(), r.required(), r.step().wire(), plan.stage(), r.plan()));
    track(send(envelope));
    return Future.succeededFuture();
  }

  /** Rejects, as expired, every write that waited for approval longer than it may; the rejection ends it. */
  private Future<Void> expireApprovals() {
    Future<Void> done = Future.succeededFuture();
    for (PipelineRun run : List.copyOf(runs.values())) {
      Optional<AwaitingApproval> waiting = run.awaitingApproval();
      if (waiting.isEmpty() || waiting.get().request().expiresAt().isAfter(clock.instant())) {
        continue;
      }
      ApprovalRequested asked = waiting.get().request();
      ApprovalDecided expired = new ApprovalDecided(asked.stage(), asked.plan(), false, EXPIRY, asked.requester(),
          "expired: not approved within " + coordinator.protection().approvalWait().toMinutes() + " minute(s)"
              + " (GARDEN_APPROVAL_HOURS)", false, "system");
      Envelope envelope = codec.envelope(expired, context(run));
      run.apply(envelope, expired);
      track(send(envelope));
      done = done.compose(v -> advance(run));
    }
    return done;
  }

  /** Sends the request, then records it: a crash in between sends it again with the same id, never loses it. */
  private Future<Void> dispatch(PipelineRun run, Decision.Dispatch d) {
    PipelineStarted plan = run.started().orElseThrow();
    StepRequests.Outgoing out = StepRequests.of(run.id(), plan, plan.source(), d.step(), d.target(),
        d.approvedPlan());
    EventContext context = context(run);
    run.dispatched(d, clock.instant());
    // Each unit is a span of the pipeline's trace; the worker's own span is its child.
    Span span = Tracing.start(d.step().wire() + " " + d.target(), context.traceparent(), SpanKind.PRODUCER);
    span.setAttribute("garden.pipeline.id", run.id());
    Envelope request = codec.envelope(out.payload(), context.inTrace(Tracing.handOn(span, context.traceparent())),
        d.requestId());
    // step.started only once the request is acked: a crash in between sends it again, never records a lost one.
    track(producer.send(EnvelopeRecords.of(out.topic(), out.key(), request))
        .andThen(sent -> span.end())
        .compose(m -> emit(run.id(), new StepStarted(d.step(), d.target(), d.requestId()), context)));
    return Future.succeededFuture();
  }

  private Future<Void> finish(PipelineRun run, Decision.Finish f) {
    long duration = run.startedEvent().map(e -> Duration.between(e.time(), clock.instant()).toMillis()).orElse(0L);
    PipelineFinished finished = new PipelineFinished(f.state(), f.reason(), duration, run.artifacts(),
        run.started().map(PipelineStarted::notes).orElse(List.of()),
        run.started().map(PipelineStarted::trigger).orElse(null));
    Envelope envelope = codec.envelope(finished, context(run));
    run.apply(envelope, finished);
    ended(run.id());
    PipelineLog.about(envelope, () -> LOG.info("pipeline {} {}{}", run.id(), f.state().wire(),
        f.reason() == null ? "" : ": " + f.reason()));
    track(send(envelope));
    return Future.succeededFuture();
  }

  /** The context of everything the coordinator says about a pipeline: caused by its request. */
  private EventContext context(PipelineRun run) {
    Envelope started = run.startedEvent().orElseThrow();
    return new EventContext(run.id(), started.correlationId(), started.actor(), settings.clientId(),
        started.causationId(), started.traceparent());
  }

  // ---- pipeline requests: record, plan, start ----

  /** Decodes and plans a request beside the chain (planning lists the repository); the chain applies it in order. */
  private Future<PipelineStart.Planned> plan(KafkaConsumerRecord<String, byte[]> record) {
    try {
      PipelineRequested payload = codec.payload(codec.decode(record.value()), PipelineRequested.class);
      return vertx.executeBlocking(() -> coordinator.protection().apply(PipelineStart.plan(payload,
          coordinator.sources(), coordinator.checkouts(), coordinator.engineState(), coordinator.platforms(),
          coordinator.builders())), false);
    } catch (MalformedEventException e) {
      return Future.failedFuture(e); // onRequest dead-letters it
    }
  }

  private Future<Void> onRequest(KafkaConsumerRecord<String, byte[]> record,
                                 Future<PipelineStart.Planned> planned) {
    Envelope request;
    try {
      request = codec.decode(record.value());
      codec.payload(request, PipelineRequested.class);
      if (request.pipelineId() == null) {
        throw new MalformedEventException("pipeline request " + request.id() + " has no pipelineId");
      }
    } catch (MalformedEventException e) {
      track(DeadLetters.send(producer, record, null, e, ErrorKind.PERMANENT, GROUP, settings.clientId())
          .compose(v -> commit(record)));
      return Future.succeededFuture();
    }
    String id = request.pipelineId();
    if (ended.contains(id) || runs.containsKey(id) && runs.get(id).started().isPresent()) {
      PipelineLog.about(request, () -> LOG.info("pipeline {}: its request was delivered again (a restart or a"
          + " rebalance); it {} already, nothing new starts", id, ended.contains(id) ? "ran" : "runs"));
      track(commit(record)); // delivered again after a restart: it already runs, or ran
      return Future.succeededFuture();
    }
    Future<Void> copied = send(request);
    return planned.transform(result -> {
      Future<Void> effects = result.succeeded() ? start(request, result.result()) : refuse(request, result.cause());
      track(Future.all(copied, effects).<Void>mapEmpty().recover(e -> setAside(record, request, e))
          .compose(v -> commit(record)));
      return Future.<Void>succeededFuture();
    });
  }

  /**
   * A request whose effects failed for good (not a broker outage: a record Kafka refuses, a planner bug) is moved to
   * the dead letters and its pipeline ends failed with the reason, and the coordinator carries on: no request can stop
   * it, and a restart does not replay into the same failure (the request is committed).
   */
  private Future<Void> setAside(KafkaConsumerRecord<String, byte[]> record, Envelope request, Throwable error) {
    if (ErrorKind.of(error) != ErrorKind.PERMANENT || stopping) {
      return Future.failedFuture(error);
    }
    String id = request.pipelineId();
    LOG.warn("pipeline {}: its request could not be carried out and was set aside ({}): {}", id, Topics.DEADLETTER,
        error.getMessage());
    PipelineRun run = runs.get(id);
    ended(id);
    Future<Void> dead = DeadLetters.send(producer, record, request, error, ErrorKind.PERMANENT, GROUP,
        settings.clientId());
    if (run != null && run.isFinished()) {
      return dead;
    }
    String reason = "the request could not be carried out and was set aside: " + error.getMessage();
    return dead.compose(v -> send(codec.envelope(new PipelineFinished(PipelineFinished.State.FAILED, reason, 0,
        List.of(), List.of(), triggerOf(request)), contextOf(request))));
  }

  /** Starts the pipeline in the chain; the returned future completes when its first events are acked. */
  private Future<Void> start(Envelope request, PipelineStart.Planned planned) {
    EventContext context = contextOf(request);
    Envelope started = codec.envelope(planned.started(), context);
    byte[] encoded = codec.encode(started);
    if (!EventBudget.fits(encoded)) {
      // Summarised as a refusal rather than sent: Kafka would refuse the record, and every restart would try again.
      return refuse(request, new PlanRefusedException("this pipeline covers " + planned.started().extensions().size()
          + " extension(s): its plan (" + EventBudget.size(encoded.length) + ") is larger than one event may be ("
          + EventBudget.size(EventBudget.MAX_EVENT_BYTES) + "); run it on fewer targets (a list, or targets"
          + " \"changed\")"));
    }
    PipelineRun run = runFor(request.pipelineId());
    run.apply(started, planned.started());
    List<Future<Void>> sent = new java.util.ArrayList<>(List.of(send(started)));
    for (StepSkipped skipped : planned.skipped()) {
      Envelope envelope = codec.envelope(skipped, context);
      run.apply(envelope, skipped);
      sent.add(send(envelope));
    }
    advance(run);
    return Future.all(sent).mapEmpty();
  }

  /** A request that cannot run ends at once, failed, with the reason: the caller sees why, nothing is dead. */
  private Future<Void> refuse(Envelope request, Throwable cause) {
    if (ErrorKind.of(cause) != ErrorKind.PERMANENT) {
      return Future.failedFuture(cause); // fatal once tracked: a transient failure here means a broken planner
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    ended(request.pipelineId());
    PipelineLog.about(request, () -> LOG.info("pipeline {} refused: {}", request.pipelineId(), reason));
    return send(codec.envelope(new PipelineFinished(PipelineFinished.State.FAILED, reason, 0, List.of(), List.of(),
        triggerOf(request)), contextOf(request)));
  }

  /** The context of what the coordinator says about a pipeline before it started: caused by its request. */
  private EventContext contextOf(Envelope request) {
    return new EventContext(request.pipelineId(), request.correlationId(), request.actor(), settings.clientId(),
        request.id(), request.traceparent());
  }

  /** The trigger of a request, so even a refusal is reported back; none when the request cannot be read. */
  private Trigger triggerOf(Envelope request) {
    try {
      return codec.payload(request, PipelineRequested.class).trigger();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private Future<Void> emit(String pipelineId, EventPayload payload, EventContext context) {
    return send(codec.envelope(payload, context));
  }

  /** Starts a send; the producer keeps sends to one partition in the order they were started. */
  private Future<Void> send(Envelope envelope) {
    return producer.send(EnvelopeRecords.of(Topics.EVENTS, envelope.pipelineId(), envelope)).mapEmpty();
  }

  /** Work the chain started but does not wait for: its failure is still fatal (the state would be behind). */
  private void track(Future<?> work) {
    work.onFailure(this::fatal);
  }

  private Future<Void> commit(KafkaConsumerRecord<String, byte[]> record) {
    return commits.finished(record);
  }

}
