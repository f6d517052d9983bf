package io.garden.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.Envelope;

import java.time.Instant;
import java.util.Set;

/**
 * Which audit events an event-stream client asked for. Every field is optional; {@code types} entries ending in
 * {@code .} match a family ({@code step.} is every step event).
 */
public record EventFilter(String pipeline, String extension, Set<String> types, Instant since) {

  public EventFilter {
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  public boolean matches(Envelope event) {
    if (pipeline != null && !pipeline.equals(event.pipelineId())) {
      return false;
    }
    if (since != null && event.time().isBefore(since)) {
      return false;
    }
    if (!types.isEmpty() && types.stream().noneMatch(t -> t.endsWith(".") ? event.type().startsWith(t)
        : event.type().equals(t))) {
      return false;
    }
    return extension == null || mentions(event.data(), extension);
  }

  /** An event is about an extension when its data names it as its extension or target, or lists it. */
  private static boolean mentions(JsonNode data, String extension) {
    if (data == null) {
      return false;
    }
    for (String field : new String[] {"extension", "target"}) {
      if (extension.equals(data.path(field).asText(null))) {
        return true;
      }
    }
    for (JsonNode id : data.path("extensions")) {
      if (extension.equals(id.asText(null))) {
        return true;
      }
    }
    for (JsonNode result : data.path("results")) {
      if (extension.equals(result.path("extension").asText(null))) {
        return true;
      }
    }
    return false;
  }
}
