package io.garden.gateway.hooks;

import io.garden.common.tracing.Tracing;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.TriggerKind;
import io.garden.common.kafka.EventsFollower;
import io.garden.common.kafka.KafkaSettings;
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

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reports pipelines started by a git host back to it as commit statuses: {@code pending} when one starts, then
 * {@code success} or {@code failure}. It follows {@code garden.events} in its own consumer group: decode → post (in
 * order per pipeline, retried with back-off) → commit. A status that cannot be posted is logged and given up: it
 * never fails or holds up the pipeline. Tokens go in headers only, never in a log line.
 */
public final class CommitStatusVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CommitStatusVerticle.class);
  public static final String GROUP = "garden-commit-status";

  private final KafkaSettings kafka;
  private final HookSettings hooks;
  private final Backoff backoff;
  private final EventCodec codec = EventCodec.shared();
  /** The last post per pipeline: a pipeline's statuses are posted in the order they happened. */
  private final Map<String, Future<Void>> tails = new HashMap<>();

  private EventsFollower events;
  private HttpClient http;

  public CommitStatusVerticle(KafkaSettings kafka, HookSettings hooks, Backoff backoff) {
    this.kafka = kafka;
    this.hooks = hooks;
    this.backoff = backoff;
  }

  /** Whether there is anywhere to report to. */
  public static boolean wanted(HookSettings hooks) {
    return hooks.githubToken().isPresent() || hooks.gitlabApiToken().isPresent();
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
    Optional<CommitStatus> status = decode(record);
    if (status.isEmpty()) {
      events.finished(record);
      return;
    }
    String pipeline = record.key() == null ? "" : record.key();
    Future<Void> previous = tails.getOrDefault(pipeline, Future.succeededFuture());
    String traceparent = record.headers().stream().filter(h -> h.key().equals(Tracing.HEADER))
        .map(h -> h.value().toString()).findFirst().orElse(null);
    Future<Void> posted = previous.transform(v -> post(status.get(), traceparent, 1));
    tails.put(pipeline, posted);
    posted.onComplete(v -> {
      events.finished(record);
      if (tails.get(pipeline) == posted) {
        tails.remove(pipeline);
      }
    });
  }

  /** The status an event calls for: only pipeline.started and pipeline.finished of git-host pipelines. */
  private Optional<CommitStatus> decode(KafkaConsumerRecord<String, byte[]> record) {
    try {
      Envelope envelope = codec.decode(record.value());
      EventPayload payload = codec.payload(envelope);
      if (payload instanceof PipelineStarted started && reportable(started.trigger())) {
        return CommitStatus.started(started.trigger(), envelope.pipelineId(), hooks.githubApi(), hooks.gitlabApi());
      }
      if (payload instanceof PipelineFinished finished && reportable(finished.trigger())) {
        return CommitStatus.finished(finished.trigger(), envelope.pipelineId(), finished, hooks.githubApi(),
            hooks.gitlabApi());
      }
    } catch (RuntimeException unreadable) {
      // Not an event this version can read: nothing to report.
    }
    return Optional.empty();
  }

  private boolean reportable(io.garden.common.event.Trigger trigger) {
    return trigger != null && (trigger.kind() == TriggerKind.GITHUB && hooks.githubToken().isPresent()
        || trigger.kind() == TriggerKind.GITLAB && hooks.gitlabApiToken().isPresent());
  }

  /** Posts, retrying a failure the host may get over (5xx, 429, no connection); always completes successfully. */
  private Future<Void> post(CommitStatus status, String traceparent, int attempt) {
    return send(status, traceparent).transform(result -> {
      if (result.succeeded() && result.result() < 300) {
        return Future.succeededFuture();
      }
      int code = result.succeeded() ? result.result() : 0;
      String why = result.succeeded() ? "HTTP " + code : result.cause().getMessage();
      boolean retry = code == 0 || code == 429 || code >= 500;
      if (!retry || !backoff.mayRetry(attempt)) {
        LOG.warn("commit status {} for {} not posted after {} attempt(s): {}", status.body().get("state"),
            status.url().getPath(), attempt, why);
        return Future.succeededFuture();
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(backoff.delayBefore(attempt).toMillis(), t -> post(status, traceparent, attempt + 1)
          .onComplete(later));
      return later.future();
    });
  }

  /** @param traceparent the pipeline's trace, carried to the forge (W3C Trace Context), or null */
  private Future<Integer> send(CommitStatus status, String traceparent) {
    RequestOptions options = ForgeRequests.of(hooks, status.kind(), HttpMethod.POST, status.url());
    if (traceparent != null) {
      options.putHeader(Tracing.HEADER, traceparent);
    }
    Buffer body;
    try {
      body = Buffer.buffer(codec.mapper().writeValueAsBytes(status.body()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Future.failedFuture(e);
    }
    return http.request(options).compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }
}
