package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** A build ended: the images (ids, durations) or, on failure, the failing step and the tail of its output. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildFinished(String extension, boolean passed, List<ImageResult> images, String failingStep,
                            List<String> logTail, long durationMs) implements EventPayload {

  public BuildFinished {
    images = images == null ? List.of() : List.copyOf(images);
    logTail = logTail == null ? List.of() : List.copyOf(logTail);
  }
}
