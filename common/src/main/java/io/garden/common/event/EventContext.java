package io.garden.common.event;

/**
 * Who and what an event belongs to: carried over from the request to every event it causes, so the audit stream
 * can be read per pipeline and per webhook delivery or chat message.
 */
public record EventContext(String pipelineId, String correlationId, String actor, String source) {

  /** The same pipeline, correlation and actor, emitted by another component. */
  public EventContext from(String newSource) {
    return new EventContext(pipelineId, correlationId, actor, newSource);
  }

  public static EventContext of(Envelope envelope, String source) {
    return new EventContext(envelope.pipelineId(), envelope.correlationId(), envelope.actor(), source);
  }
}
