package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The registry actions a worker request may name; anything else is refused when the request is decoded. */
public enum RegistryAction implements WireName {
  BUILD("build"),
  PACKAGE("package"),
  DOWNLOAD("download"),
  DRY_RUN("dry-run");

  private final String wire;

  RegistryAction(String wire) {
    this.wire = wire;
  }

  @Override
  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static RegistryAction parse(String value) {
    return WireName.parse(RegistryAction.class, "registry action", value);
  }

  /** The pipeline step this is part of, as step events name it. */
  public StepName stepName() {
    return switch (this) {
      case BUILD -> StepName.BUILD_REGISTRY;
      case PACKAGE -> StepName.PACKAGE_REGISTRY;
      case DOWNLOAD -> StepName.DOWNLOAD_REGISTRY;
      case DRY_RUN -> StepName.PUBLISH_REGISTRY;
    };
  }

  @Override
  public String toString() {
    return wire;
  }
}
