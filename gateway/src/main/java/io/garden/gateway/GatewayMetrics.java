package io.garden.gateway;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventPayload;
import io.garden.common.event.MalformedEventException;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepStarted;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's Prometheus metrics: HTTP latency, events per type, pipeline and step durations by outcome, queue
 * wait (a request accepted → its first step started) and consumer lag per group. Fed from the audit stream as it
 * goes live; the replay at start is history and is not counted again.
 */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Instant> requested = new HashMap<>();
  private final Map<String, Long> lag = new ConcurrentHashMap<>();

  public void http(String method, String route, int status, long nanos) {
    Timer.builder("garden.http.requests").tag("method", method).tag("route", route)
        .tag("status", Integer.toString(status)).publishPercentileHistogram().register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** An event as it arrives from the audit stream. */
  /** A connection closed at once because the server had GARDEN_MAX_CONNECTIONS open. */
  public void refusedConnection() {
    registry.counter("garden.http.connections.refused").increment();
  }

  public void event(Envelope envelope) {
    registry.counter("garden.events", "type", envelope.type()).increment();
    EventPayload payload;
    try {
      payload = EventCodec.shared().payload(envelope);
    } catch (MalformedEventException e) {
      return;
    }
    if (payload instanceof io.garden.common.event.PipelineRequested && envelope.pipelineId() != null) {
      requested.put(envelope.pipelineId(), envelope.time());
    } else if (payload instanceof StepStarted && envelope.pipelineId() != null) {
      Instant asked = requested.remove(envelope.pipelineId());
      if (asked != null) {
        Timer.builder("garden.pipeline.queue.wait").register(registry)
            .record(Duration.between(asked, envelope.time()));
      }
    } else if (payload instanceof StepFinished f) {
      step(f.step().wire(), "succeeded", f.durationMs());
    } else if (payload instanceof StepFailed f) {
      registry.counter("garden.step.failures", "step", f.step().wire(), "kind", f.errorKind().wire()).increment();
    } else if (payload instanceof PipelineFinished f) {
      requested.remove(envelope.pipelineId());
      Timer.builder("garden.pipeline.duration").tag("state", f.state().wire()).register(registry)
          .record(Duration.ofMillis(f.durationMs()));
    }
  }

  private void step(String step, String outcome, long millis) {
    Timer.builder("garden.step.duration").tag("step", step).tag("outcome", outcome).register(registry)
        .record(Duration.ofMillis(millis));
  }

  /** The latest lag of a consumer group (records behind the end of its topics). */
  public void lag(String group, long records) {
    if (lag.put(group, records) == null) {
      Gauge.builder("garden.consumer.lag", lag, m -> m.getOrDefault(group, 0L)).tag("group", group)
          .register(registry);
    }
  }

  public String scrape() {
    return registry.scrape();
  }
}
