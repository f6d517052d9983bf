package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * A pipeline ended: {@code state}, the reason when it did not succeed (the first failed step and why), how long it
 * took, what it produced, and notes worth a line in the summary (steps skipped and why); the request's
 * {@code trigger}, so the result can be reported back without remembering the request.
 */
public record PipelineFinished(State state, String reason, long durationMs, List<Artifact> artifacts,
                               List<String> notes, @JsonInclude(JsonInclude.Include.NON_NULL) Trigger trigger)
    implements EventPayload {

  public PipelineFinished(State state, String reason, long durationMs, List<Artifact> artifacts, List<String> notes) {
    this(state, reason, durationMs, artifacts, notes, null);
  }

  public PipelineFinished {
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** How a pipeline ended. */
  public enum State implements WireName {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static State parse(String value) {
      return WireName.parse(State.class, "pipeline state", value);
    }
  }
}
