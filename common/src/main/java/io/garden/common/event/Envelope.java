package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * The one JSON envelope every record on every topic carries.
 *
 * <p>{@code data} stays a tree here so a consumer can route, log or dead-letter an event whose payload it does not
 * understand; {@link EventCodec#payload(Envelope, Class)} turns it into the typed record. {@code causationId} is the
 * id of the request event this one answers (absent on events nobody asked for), so whoever sent a request can tell
 * its results from a repeat's. {@code traceparent} (W3C Trace Context) puts the event in its pipeline's trace when
 * tracing is on (absent otherwise, and in events from before it).
 */
public record Envelope(
    String id,
    String type,
    int version,
    Instant time,
    String pipelineId,
    String correlationId,
    String actor,
    String source,
    @JsonInclude(JsonInclude.Include.NON_NULL) String causationId,
    JsonNode data,
    @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent) {

  /** An envelope outside any trace. */
  public Envelope(String id, String type, int version, Instant time, String pipelineId, String correlationId,
                  String actor, String source, String causationId, JsonNode data) {
    this(id, type, version, time, pipelineId, correlationId, actor, source, causationId, data, null);
  }

  /** The same envelope in another span of the trace (a W3C {@code traceparent}; null: none). */
  public Envelope inTrace(String parent) {
    return new Envelope(id, type, version, time, pipelineId, correlationId, actor, source, causationId, data, parent);
  }

  /** The W3C trace id of the trace it belongs to, or null. */
  public String traceId() {
    return traceparent == null || traceparent.length() < 35 ? null : traceparent.substring(3, 35);
  }

  public Envelope {
    requireText(id, "id");
    requireText(type, "type");
    Objects.requireNonNull(time, "time");
    requireText(source, "source");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("envelope field '" + field + "' is required");
    }
  }
}
