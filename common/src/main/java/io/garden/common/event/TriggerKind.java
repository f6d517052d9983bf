package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who started a pipeline from outside the API: a git host's webhook or a chat command. */
public enum TriggerKind implements WireName {
  GITHUB("github"),
  GITLAB("gitlab"),
  SLACK("slack");

  private final String wire;

  TriggerKind(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static TriggerKind parse(String value) {
    return WireName.parse(TriggerKind.class, "trigger", value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
