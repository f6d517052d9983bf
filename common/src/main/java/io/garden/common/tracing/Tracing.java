package io.garden.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces of pipelines, one per pipeline from the door through each worker and the store writes: OpenTelemetry,
 * configured by the standard {@code OTEL_*} variables and off unless they say where to export
 * ({@code OTEL_TRACES_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}).
 * Between processes the context travels as a W3C {@code traceparent}: in a Kafka record's header and on the event's
 * envelope (so the trace id is on every event of the pipeline), and on HTTP calls.
 */
public final class Tracing {

  public static final String HEADER = "traceparent";
  private static final String SCOPE = "io.garden";
  private static final List<String> SWITCHES = List.of("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

  private static volatile OpenTelemetry installed = OpenTelemetry.noop();

  private static final TextMapGetter<Map<String, String>> GET = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };
  private static final TextMapSetter<Map<String, String>> SET = (carrier, key, value) -> carrier.put(key, value);

  private Tracing() {
  }

  /** Whether {@code env} turns tracing on; nothing is exported, and no thread started, otherwise. */
  public static boolean wanted(Map<String, String> env) {
    return !"true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED")) && !"none".equals(env.get("OTEL_TRACES_EXPORTER"))
        && SWITCHES.stream().anyMatch(name -> env.get(name) != null && !env.get(name).isBlank());
  }

  /**
   * Sets up tracing for this process from {@code env}, once: the SDK the {@code OTEL_*} variables describe, named
   * {@code service} unless {@code OTEL_SERVICE_NAME} says otherwise. A no-op when tracing is not wanted.
   */
  public static synchronized void start(Map<String, String> env, String service) {
    if (!wanted(env) || !(installed == OpenTelemetry.noop())) {
      return;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", service);
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    install(AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .addPropertiesCustomizer(config -> lowerCase(env))
        .setResultAsGlobal()
        .build().getOpenTelemetrySdk());
  }

  /** The variables as the SDK's properties (OTEL_SERVICE_NAME → otel.service.name), so they override defaults. */
  private static Map<String, String> lowerCase(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith("OTEL_")) {
        properties.put(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
      }
    });
    return properties;
  }

  /** Uses {@code sdk} (tests hand in one with an in-memory exporter). */
  public static void install(OpenTelemetry sdk) {
    installed = sdk;
  }

  public static Tracer tracer() {
    return installed.getTracer(SCOPE);
  }

  /**
   * Starts a span as a child of {@code parent} (a {@code traceparent}, or null/unreadable for a new trace).
   * Always end it.
   */
  public static Span start(String name, String parent, SpanKind kind) {
    return tracer().spanBuilder(name).setParent(context(parent)).setSpanKind(kind).startSpan();
  }

  /** The context a {@code traceparent} names; the root context for none. */
  public static Context context(String traceparent) {
    if (traceparent == null || traceparent.isBlank()) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, traceparent.trim()), GET);
  }

  /** The {@code traceparent} of a span, to hand on; null when it records nothing (tracing off). */
  public static String traceparent(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, SET);
    return carrier.get(HEADER);
  }

  /**
   * What to hand on from a span: its own {@code traceparent}, or, when tracing is off here, the one it came with, so
   * a caller's trace id still reaches every event.
   */
  public static String handOn(Span span, String parent) {
    String own = traceparent(span);
    return own != null ? own : parent == null || parent.isBlank() ? null : parent.trim();
  }

  /** Ends a span as failed, with why. */
  public static void fail(Span span, Throwable error) {
    span.setStatus(StatusCode.ERROR, error.getMessage() == null ? error.getClass().getSimpleName()
        : error.getMessage());
    span.end();
  }
}
