package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PublishPlanned;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import io.garden.common.event.ValidateFinished;
import io.garden.common.kafka.EventsFollower;
import io.garden.common.kafka.KafkaSettings;
import io.garden.common.kafka.PipelineEvents;
import io.garden.common.worker.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Comments the plan of a pull (merge) request's pipeline on the request when it ends ({@link PlanComment}): one
 * comment, found again by its marker and edited on every push; on GitHub also a check run with each finding as an
 * annotation at its file and line. It follows {@code garden.events} in its own group: decode → read the pipeline's
 * findings and plans back from the stream → post → commit. A token that may not write checks (403) leaves the commit
 * statuses to carry the result, as before. Nothing here holds up a pipeline; tokens go in headers only.
 */
public final class PlanReportVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PlanReportVerticle.class);
  public static final String GROUP = "garden-plan-report";
  static final String CHECK_NAME = "garden/plan";
  private static final Set<String> READ_BACK = Set.of(EventTypes.nameOf(ValidateFinished.class),
      EventTypes.nameOf(PublishPlanned.class));
  /** Pages of comments looked through for the marker (100 each). */
  private static final int MAX_PAGES = 10;

  private final KafkaSettings kafka;
  private final HookSettings hooks;
  private final Optional<URI> publicUrl;
  private final Backoff backoff;
  private final EventCodec codec = EventCodec.shared();
  private EventsFollower events;
  private HttpClient http;

  public PlanReportVerticle(KafkaSettings kafka, HookSettings hooks, Optional<URI> publicUrl, Backoff backoff) {
    this.kafka = kafka;
    this.hooks = hooks;
    this.publicUrl = publicUrl;
    this.backoff = backoff;
  }

  public static boolean wanted(HookSettings hooks) {
    return !hooks.policy().planStages().isEmpty() && CommitStatusVerticle.wanted(hooks);
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient();
    events = EventsFollower.fromNow(vertx, kafka, GROUP);
    return events.follow(this::onRecord);
  }

  @Override
  public Future<?> stop() {
    return (events == null ? Future.succeededFuture() : events.close()).eventually(() -> http.close());
  }

  private void onRecord(KafkaConsumerRecord<String, byte[]> record) {
    Optional<Envelope> finished = decode(record);
    if (finished.isEmpty()) {
      events.finished(record);
      return;
    }
    Envelope end = finished.get();
    PipelineFinished payload = codec.payload(end, PipelineFinished.class);
    Instant since = end.time().minusMillis(payload.durationMs()).minus(Duration.ofMinutes(5));
    vertx.executeBlocking(() -> PipelineEvents.read(kafka, end.pipelineId(), record.partition(), since,
            record.offset(), READ_BACK), false)
        .map(events -> comment(end, payload, events))
        .compose(plan -> report(payload.trigger(), plan))
        .onFailure(e -> LOG.warn("plan of pipeline {} not reported: {}", end.pipelineId(), e.getMessage()))
        .onComplete(done -> events.finished(record));
  }

  /** A pull or merge request's pipeline.finished, from a forge this gateway reports to. */
  private Optional<Envelope> decode(KafkaConsumerRecord<String, byte[]> record) {
    try {
      Envelope envelope = codec.decode(record.value());
      if (!EventTypes.is(envelope, PipelineFinished.class) || envelope.pipelineId() == null) {
        return Optional.empty();
      }
      Trigger trigger = codec.payload(envelope, PipelineFinished.class).trigger();
      boolean reportable = trigger != null && trigger.change() != null && CommitStatus.plainRepository(trigger)
          && (trigger.kind() == TriggerKind.GITHUB ? hooks.githubToken().isPresent()
          : hooks.gitlabApiToken().isPresent());
      return reportable ? Optional.of(envelope) : Optional.empty();
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private PlanComment comment(Envelope end, PipelineFinished finished, List<Envelope> events) {
    List<PublishPlanned> plans = new java.util.ArrayList<>();
    List<io.garden.common.event.ExtensionFindings> findings = new java.util.ArrayList<>();
    for (Envelope e : events) {
      if (EventTypes.is(e, PublishPlanned.class)) {
        PublishPlanned plan = codec.payload(e, PublishPlanned.class);
        if (plan.dryRun()) {
          plans.add(plan);
        }
      } else if (EventTypes.is(e, ValidateFinished.class)) {
        findings.addAll(codec.payload(e, ValidateFinished.class).results());
      }
    }
    return new PlanComment(end.pipelineId(), finished.trigger().commit(), finished, plans, findings,
        publicUrl.map(u -> URI.create(u.toString().replaceAll("/+$", "") + "/#pipeline=" + end.pipelineId())));
  }

  private Future<Void> report(Trigger trigger, PlanComment plan) {
    Future<Void> commented = comment(trigger, plan.markdown());
    return trigger.kind() == TriggerKind.GITHUB ? commented.compose(v -> checkRun(trigger, plan)) : commented;
  }

  /** Edits garden's comment when there is one (found by its marker), else posts it: one comment per request. */
  private Future<Void> comment(Trigger trigger, String markdown) {
    boolean github = trigger.kind() == TriggerKind.GITHUB;
    String thread = github ? "/repos/" + trigger.repository() + "/issues/" + trigger.change() + "/comments"
        : "/projects/" + trigger.repository() + "/merge_requests/" + trigger.change() + "/notes";
    return find(trigger, thread, 1).compose(existing -> existing.isPresent()
        ? call(trigger, github ? HttpMethod.PATCH : HttpMethod.PUT, github ? "/repos/" + trigger.repository()
            + "/issues/comments/" + existing.get() : thread + "/" + existing.get(), Map.of("body", markdown), 1)
        : call(trigger, HttpMethod.POST, thread, Map.of("body", markdown), 1)).mapEmpty();
  }

  private Future<Optional<Long>> find(Trigger trigger, String thread, int page) {
    return call(trigger, HttpMethod.GET, thread + "?per_page=100&page=" + page, null, 1).compose(answer -> {
      for (JsonNode comment : answer.body()) {
        if (comment.path("body").asText("").startsWith(PlanComment.MARKER)) {
          return Future.succeededFuture(Optional.of(comment.path("id").asLong()));
        }
      }
      return answer.body().size() < 100 || page == MAX_PAGES ? Future.succeededFuture(Optional.empty())
          : find(trigger, thread, page + 1);
    });
  }

  /** The check run of the plan; a token that may not write checks leaves it to the commit statuses. */
  private Future<Void> checkRun(Trigger trigger, PlanComment plan) {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("title", "garden plan: " + plan.conclusion());
    output.put("summary", plan.markdown().length() > 60_000 ? plan.markdown().substring(0, 60_000)
        : plan.markdown());
    output.put("annotations", plan.annotations());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", CHECK_NAME);
    body.put("head_sha", trigger.commit());
    body.put("status", "completed");
    body.put("conclusion", plan.conclusion());
    body.put("output", output);
    return call(trigger, HttpMethod.POST, "/repos/" + trigger.repository() + "/check-runs", body, 1)
        .<Void>mapEmpty().recover(e -> {
          if (e instanceof Refused refused && (refused.status == 403 || refused.status == 404)) {
            LOG.info("the GitHub token may not write check runs on {} ({}): its commit statuses carry the result",
                trigger.repository(), refused.status);
            return Future.succeededFuture();
          }
          return Future.failedFuture(e);
        });
  }

  /** An answer of the forge: its status and JSON body. */
  private record Answer(int status, JsonNode body) {
  }

  /** A forge's final no (a 4xx other than 408 and 429). */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String what) {
      super(what + " answered " + status);
      this.status = status;
    }
  }

  /** One call to the forge's API, retried while it may get over it (5xx, 408, 429, no connection). */
  private Future<Answer> call(Trigger trigger, HttpMethod method, String path, Object body, int attempt) {
    URI url = ForgeRequests.url(hooks, trigger.kind(), path);
    RequestOptions options = ForgeRequests.of(hooks, trigger.kind(), method, url);
    Buffer payload;
    try {
      payload = body == null ? Buffer.buffer() : Buffer.buffer(codec.mapper().writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Future.failedFuture(e);
    }
    return http.request(options).compose(request -> request.send(payload))
        .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), json(bytes))))
        .transform(result -> {
          int status = result.succeeded() ? result.result().status() : 0;
          if (status >= 200 && status < 300) {
            return Future.succeededFuture(result.result());
          }
          boolean retry = status == 0 || status == 408 || status == 429 || status >= 500;
          if (!retry || !backoff.mayRetry(attempt)) {
            return Future.failedFuture(status == 0 ? result.cause() : new Refused(status, method + " " + url
                .getPath()));
          }
          Promise<Answer> later = Promise.promise();
          vertx.setTimer(backoff.delayBefore(attempt).toMillis(), t -> call(trigger, method, path, body,
              attempt + 1).onComplete(later));
          return later.future();
        });
  }

  private JsonNode json(Buffer bytes) {
    try {
      return bytes.length() == 0 ? codec.mapper().createObjectNode() : codec.mapper().readTree(bytes.getBytes());
    } catch (java.io.IOException e) {
      return codec.mapper().createObjectNode();
    }
  }
}
