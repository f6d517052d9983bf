package io.garden.gateway.intake;

import io.garden.common.event.AccessDecided;
import io.garden.common.event.CancelRequested;
import io.garden.common.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.TriggerKind;
import io.garden.common.kafka.EnvelopeRecords;
import io.garden.common.kafka.Topics;
import io.garden.gateway.http.HttpProblem;
import io.garden.gateway.views.PipelineViews;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;

import java.util.List;
import java.util.Optional;

/**
 * What every door does with an authenticated request, in this order: decide with the one {@link AccessPolicy},
 * record the decision as an {@code access.decided} event (allowed or not, and why), and only then queue the work.
 * A door authenticates its own way and turns the outcome into its own kind of answer; it never decides itself.
 *
 * <p>Allowed reads are not recorded (the operator page reads every few seconds: the audit log would become an
 * access log); refused reads are.
 */
public final class Intake {

  private final AccessPolicy policy;
  private final KafkaProducer<String, byte[]> producer;
  private final PipelineQueue queue;
  private final PipelineViews views;
  private final String clientId;
  private final int perPrincipal;
  private final EventCodec codec = EventCodec.shared();

  /**
   * @param perPrincipal pipelines one principal may have queued or running at once, whatever door it uses
   *                     ({@code GARDEN_MAX_PIPELINES_PER_PRINCIPAL}): beyond, 429 with Retry-After, recorded
   */
  public Intake(AccessPolicy policy, KafkaProducer<String, byte[]> producer, PipelineQueue queue,
                PipelineViews views, String clientId, int perPrincipal) {
    this.perPrincipal = perPrincipal;
    this.policy = policy;
    this.producer = producer;
    this.queue = queue;
    this.views = views;
    this.clientId = clientId;
  }

  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Authorises and queues a pipeline: its {@code access.decided} event goes first, under the pipeline's id, so
   * following the pipeline shows who allowed it. Fails with {@link AccessRefused} (nothing queued) when the policy
   * says no, and with a 409 when the id is taken.
   */
  public Future<String> submit(Principal who, String id, PipelineRequested request, String correlation) {
    return submit(who, id, request, correlation, null);
  }

  /**
   * @param traceparent the caller's W3C trace context (a {@code traceparent} header), continued by the pipeline's
   *                    trace; null to start a new one
   */
  public Future<String> submit(Principal who, String id, PipelineRequested request, String correlation,
                               String traceparent) {
    AccessPolicy.Verdict verdict = withinShare(who, policy.decide(who, Ask.of(request)));
    Future<Boolean> taken = verdict.allowed() ? views.exists(id) : Future.succeededFuture(false);
    return taken.compose(exists -> exists
        ? Future.failedFuture(new HttpProblem(409, "pipeline " + id + " exists already: choose another"
            + " pipelineId, or leave it out and one is made"))
        : queue(who, verdict, id, request, correlation, traceparent));
  }

  /**
   * An allowed pipeline is refused when its principal has its share of pipelines queued or running already: one
   * credential's (or one webhook sender's) flood waits for its own, and everyone else's pipelines still run.
   */
  private AccessPolicy.Verdict withinShare(Principal who, AccessPolicy.Verdict verdict) {
    if (!verdict.allowed()) {
      return verdict;
    }
    int open = views.openBy(who.actor());
    if (open < perPrincipal) {
      return verdict;
    }
    return new AccessPolicy.Verdict(false, who.actor() + " has " + open + " pipelines queued or running; at most "
        + perPrincipal + " at once (GARDEN_MAX_PIPELINES_PER_PRINCIPAL): retry when one has finished",
        verdict.ask(), true);
  }

  /** Records the decision, then queues the request (an allowed one): the id is known to be free. */
  private Future<String> queue(Principal who, AccessPolicy.Verdict verdict, String id, PipelineRequested request,
                               String correlation, String traceparent) {
    // The pipeline's trace starts at the door (or continues the caller's): every event of it carries its id.
    Span span = Tracing.start("pipeline " + request.steps().stream().map(s -> s.wire())
        .collect(java.util.stream.Collectors.joining(",")), traceparent, SpanKind.SERVER);
    span.setAttribute("garden.pipeline.id", id == null ? "" : id);
    span.setAttribute("garden.actor", who.actor());
    span.setAttribute("garden.door", who.door().wire());
    EventContext context = new EventContext(verdict.allowed() ? id : null, correlation == null ? id : correlation,
        who.actor(), clientId).inTrace(Tracing.handOn(span, traceparent));
    return record(who, verdict, context)
        .compose(v -> queue.submit(request, context))
        .andThen(done -> {
          if (done.failed()) {
            Tracing.fail(span, done.cause());
          } else {
            span.end();
          }
        });
  }

  /**
   * As {@link #submit}, for a request under an {@code Idempotency-Key}: when its pipeline exists already (a retry),
   * the answer is that pipeline, still authorised for the asker, and nothing is queued again.
   *
   * @return the id, and whether it was a retry
   */
  public Future<Submission> submitOnce(Principal who, String id, PipelineRequested request, String correlation,
                                       String traceparent) {
    AccessPolicy.Verdict allowed = policy.decide(who, Ask.of(request));
    // A retry of a pipeline already queued is answered whatever the share: it starts nothing new.
    AccessPolicy.Verdict verdict = allowed.allowed() && views.knows(id) ? allowed : withinShare(who, allowed);
    Future<Boolean> known = verdict.allowed() ? views.exists(id) : Future.succeededFuture(false);
    // One look for the id (it may be a read of the archive): a retry answers, anything else queues.
    return known.compose(retry -> retry ? Future.succeededFuture(new Submission(id, true))
        : queue(who, verdict, id, request, correlation, traceparent).map(queued -> new Submission(queued, false)));
  }

  /** What a submit under an Idempotency-Key did: queued the pipeline, or found it queued by an earlier try. */
  public record Submission(String id, boolean replayed) {
  }

  /** Authorises one ask (a read, a cancel, an unlock from chat): recorded unless it is an allowed read. */
  public Future<Void> authorise(Principal who, Ask ask, String pipelineId, String correlation) {
    AccessPolicy.Verdict verdict = policy.decide(who, ask);
    if (verdict.allowed() && ask.action() == io.garden.common.event.AccessAction.READ) {
      return Future.succeededFuture();
    }
    EventContext context = new EventContext(pipelineId, correlation, who.actor(), clientId);
    return record(who, verdict, context);
  }

  /**
   * Records a request a door refused before the policy was asked (a body that does not parse, a source outside the
   * allowed roots, a share used up): every refusal of a known principal is in the audit log, not only the policy's.
   */
  public Future<Void> refused(Principal who, Ask ask, String reason) {
    return write(who, new AccessPolicy.Verdict(false, reason, ask), new EventContext(null, null, who.actor(),
        clientId));
  }

  /**
   * Asks the coordinator to cancel a pipeline, once the policy allowed it.
   *
   * @param request what the pipeline was asked to do, when known: stopping one that changes a stage takes that
   *                stage's publish role
   */
  public Future<Void> cancel(Principal who, String id, Optional<PipelineRequested> request, String correlation,
                             String reason) {
    EventContext context = new EventContext(id, correlation == null ? id : correlation, who.actor(), clientId);
    Ask ask = request.map(r -> Ask.cancel(id, r)).orElseGet(() -> Ask.cancel(id));
    return authorise(who, ask, id, context.correlationId())
        .compose(v -> producer.send(EnvelopeRecords.of(Topics.EVENTS, id,
            codec.envelope(new CancelRequested(reason), context))))
        .mapEmpty();
  }

  /**
   * Approves or rejects a pipeline's waiting write to a protected stage: the policy first ({@code approve:STAGE}, or
   * admin for the emergency path), then the decision as {@code approval.decided}, naming approver and requester. The
   * requester is refused before the policy is asked, and that refusal is recorded too.
   */
  public Future<Void> decideApproval(Principal who, String id, io.garden.common.event.ApprovalDecided decision,
                                     String correlation) {
    Ask ask = decision.emergency() ? Ask.admin("emergency approval of " + id)
        : Ask.approve(id, io.garden.common.model.Stage.parse(decision.stage()));
    EventContext context = new EventContext(id, correlation == null ? id : correlation, who.actor(), clientId);
    if (!decision.emergency() && who.actor().equals(decision.requester())) {
      // Refused before the policy is asked (its role may well allow it), and recorded as every refusal is.
      return record(who, new AccessPolicy.Verdict(false, who.actor() + " asked for pipeline " + id + ": another"
          + " person with the approve:" + decision.stage() + " role must " + (decision.approved() ? "approve"
          : "reject") + " it", ask), context);
    }
    return authorise(who, ask, id, context.correlationId())
        .compose(v -> producer.send(EnvelopeRecords.of(Topics.EVENTS, id, codec.envelope(decision, context))))
        .mapEmpty();
  }

  /**
   * Records that a signed request was received (a delivery's keys, a chat request's signature), so a replay is
   * refused after a restart and by every other gateway: they rebuild their ledger from these events.
   */
  public Future<Void> received(TriggerKind kind, List<String> keys, Principal who, String pipelineId,
                               String correlation) {
    EventContext context = new EventContext(pipelineId, correlation, who.actor(), clientId);
    Envelope accepted = codec.envelope(new DeliveryAccepted(kind, keys), context);
    String key = context.pipelineId() != null ? context.pipelineId() : keys.get(0);
    return producer.send(EnvelopeRecords.of(Topics.EVENTS, key, accepted)).mapEmpty();
  }

  /** Writes the decision, then fails with {@link AccessRefused} when it was a refusal. */
  private Future<Void> record(Principal who, AccessPolicy.Verdict verdict, EventContext context) {
    return write(who, verdict, context)
        .compose(v -> verdict.allowed() ? Future.succeededFuture() : Future.failedFuture(verdict.overShare()
            ? new AccessRefused(429, verdict.reason(), 10) : new AccessRefused(verdict.reason())));
  }

  /** The decision as an {@code access.decided} event, keyed by its pipeline when it has one, else by the actor. */
  private Future<Void> write(Principal who, AccessPolicy.Verdict verdict, EventContext context) {
    Ask ask = verdict.ask();
    AccessDecided decided = new AccessDecided(who.actor(), ask.action(), ask.stage() == null ? null
        : ask.stage().id(), verdict.allowed(), verdict.reason(), who.door().wire(), ask.target());
    String key = context.pipelineId() != null ? context.pipelineId() : who.actor();
    return producer.send(EnvelopeRecords.of(Topics.EVENTS, key, codec.envelope(decided, context))).mapEmpty();
  }
}
