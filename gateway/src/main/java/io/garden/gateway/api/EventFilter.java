package io.garden.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.Envelope;

import java.time.Instant;
import java.util.Set;

/**
 * Which audit events an event-stream client asked for. Every field is optional; {@code types} entries ending in
 * {@code .} match a family ({@code step.} is every step event); {@code extension} is an id ({@code tools/tool-x}) or
 * just its name ({@code tool-x}, any kind).
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
      if (names(data.path(field).asText(null), extension)) {
        return true;
      }
    }
    for (JsonNode id : data.path("extensions")) {
      if (names(id.asText(null), extension)) {
        return true;
      }
    }
    for (JsonNode result : data.path("results")) {
      if (names(result.path("extension").asText(null), extension)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an extension id is the one asked for: the same id, or (a bare name asked) the same name. */
  static boolean names(String id, String asked) {
    if (id == null) {
      return false;
    }
    return id.equals(asked) || asked.indexOf('/') < 0 && id.endsWith("/" + asked);
  }
}
