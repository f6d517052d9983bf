package io.garden.common.event;

/**
 * Who and what an event belongs to: carried over from the request to every event it causes, so the audit stream
 * can be read per pipeline and per webhook delivery or chat message.
 */
public record EventContext(String pipelineId, String correlationId, String actor, String source,
                           String causationId, String traceparent) {

  public EventContext(String pipelineId, String correlationId, String actor, String source, String causationId) {
    this(pipelineId, correlationId, actor, source, causationId, null);
  }

  /** The same context in a trace (a W3C {@code traceparent}, or null for none). */
  public EventContext inTrace(String parent) {
    return new EventContext(pipelineId, correlationId, actor, source, causationId, parent);
  }

  public EventContext(String pipelineId, String correlationId, String actor, String source) {
    this(pipelineId, correlationId, actor, source, null);
  }

  /** The same pipeline, correlation and actor, emitted by another component. */
  public EventContext from(String newSource) {
    return new EventContext(pipelineId, correlationId, actor, newSource, causationId, traceparent);
  }

  /** The context of events that answer {@code request}: same pipeline, correlation and actor, caused by it. */
  public static EventContext of(Envelope request, String source) {
    return new EventContext(request.pipelineId(), request.correlationId(), request.actor(), source, request.id(),
        request.traceparent());
  }
}
