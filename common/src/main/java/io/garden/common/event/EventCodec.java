package io.garden.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Events to bytes and back: envelopes, payloads by type, the size limit. The mapper's set-up (tolerant reader, ISO
 * instants) belongs to {@link Json#events()}; files have their own, stricter one.
 */
public final class EventCodec {

  /** Records above this are refused before parsing; a pipeline event is a few kilobytes. */
  public static final int MAX_EVENT_BYTES = Json.MAX_EVENT_BYTES;

  private static final EventCodec INSTANCE = new EventCodec(Clock.systemUTC());

  private final ObjectMapper mapper;
  private final Clock clock;

  public EventCodec(Clock clock) {
    this.clock = clock;
    this.mapper = Json.events();
  }

  public static EventCodec shared() {
    return INSTANCE;
  }

  /** The events' wire mapper (tolerant reader), also for API bodies. Files use {@link Json#files()}. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Wraps a payload in a fresh envelope (new id, current time, schema version 1). */
  public Envelope envelope(EventPayload payload, EventContext context) {
    return envelope(payload, context, UUID.randomUUID().toString());
  }

  /**
   * Wraps a payload in an envelope with a chosen id: a request sent again after a restart keeps its id, so the
   * results of both sendings answer one request.
   */
  public Envelope envelope(EventPayload payload, EventContext context, String id) {
    return new Envelope(
        id,
        EventTypes.nameOf(payload.getClass()),
        1,
        clock.instant().truncatedTo(ChronoUnit.MILLIS),
        context.pipelineId(),
        context.correlationId(),
        context.actor(),
        context.source(),
        context.causationId(),
        toTree(payload),
        context.traceparent());
  }

  /** Through bytes, not valueToTree: a tree must equal the one a reader parses (a long 42 reads back as an int). */
  private JsonNode toTree(EventPayload payload) {
    try {
      return mapper.readTree(mapper.writeValueAsBytes(payload));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode payload " + payload.getClass().getSimpleName(), e);
    }
  }

  public byte[] encode(Envelope envelope) {
    try {
      return mapper.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      // Envelopes are built from our own records; failing here is a programming error, not bad input.
      throw new IllegalStateException("cannot encode envelope " + envelope.id(), e);
    }
  }

  public byte[] encode(EventPayload payload, EventContext context) {
    return encode(envelope(payload, context));
  }

  /**
   * Decodes a record value. Anything that is not a well-formed envelope raises {@link MalformedEventException}
   * with a message that says what is wrong, never a parser stack trace.
   */
  public Envelope decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new MalformedEventException("empty record: expected a JSON event envelope");
    }
    if (bytes.length > MAX_EVENT_BYTES) {
      throw new MalformedEventException(
          "record of " + bytes.length + " bytes exceeds the " + MAX_EVENT_BYTES + "-byte event limit");
    }
    try {
      // One pass straight to the envelope: every event is decoded by several readers, many times a second.
      return mapper.readValue(bytes, Envelope.class);
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(bytes, e);
    }
  }

  /** What is wrong with a record that did not decode, said as specifically as a second look allows. */
  private MalformedEventException malformed(byte[] bytes, Exception failure) {
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (IOException e) {
      return new MalformedEventException("not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (!(tree instanceof ObjectNode)) {
      return new MalformedEventException("expected a JSON object envelope, found "
          + (tree == null ? "nothing" : tree.getNodeType()));
    }
    return new MalformedEventException("invalid envelope: " + rootMessage(failure), failure);
  }

  /** The typed payload of an envelope; a payload that does not fit its declared type is a permanent error. */
  public <T extends EventPayload> T payload(Envelope envelope, Class<T> type) {
    String expected = EventTypes.nameOf(type);
    if (!expected.equals(envelope.type())) {
      throw new MalformedEventException(
          "event " + envelope.id() + " has type '" + envelope.type() + "', expected '" + expected + "'");
    }
    if (envelope.data() == null || envelope.data().isNull()) {
      throw new MalformedEventException("event " + envelope.id() + " (" + envelope.type() + ") has no data");
    }
    try {
      return mapper.treeToValue(envelope.data(), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedEventException(
          "event " + envelope.id() + " (" + envelope.type() + ") has invalid data: " + rootMessage(e), e);
    }
  }

  /** The payload of whatever registered type the envelope declares. */
  public EventPayload payload(Envelope envelope) {
    Class<? extends EventPayload> type = EventTypes.payloadClass(envelope.type())
        .orElseThrow(() -> new MalformedEventException("unknown event type '" + envelope.type() + "'"));
    return payload(envelope, type);
  }

  public Instant now() {
    return clock.instant();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
    return firstLine(message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
