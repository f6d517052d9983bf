package io.garden.common.model;

import java.util.Locale;

/** Release stages. Each has its own image tag suffix and, optionally, its own object store. */
public enum Stage {
  DEV("-dev"),
  STAGE("-stage"),
  PROD("");

  private final String tagSuffix;

  Stage(String tagSuffix) {
    this.tagSuffix = tagSuffix;
  }

  /** The image tag for a version in this stage: {@code 1.2.3-dev}, {@code 1.2.3-stage}, {@code 1.2.3} (no "v"). */
  public String tag(String version) {
    return ImageNaming.tagFor(version) + tagSuffix;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stage name; the error message is the old toolchain's, which CI logs are grepped for. */
  public static Stage parse(String value) {
    if (value != null) {
      for (Stage stage : values()) {
        if (stage.id().equals(value)) {
          return stage;
        }
      }
    }
    throw new IllegalArgumentException("Error: Invalid stage '" + value + "'. Must be: dev, stage, or prod");
  }

  /**
   * Promote goes forward only, dev → stage → prod: what {@code to} gets must have been tested on this earlier stage.
   *
   * @throws IllegalArgumentException naming the rule, when {@code to} is not later than this stage
   */
  public void requirePromotableTo(Stage to) {
    if (to.ordinal() <= ordinal()) {
      throw new IllegalArgumentException("Error: promote goes forward, dev → stage → prod; " + id() + " → " + to.id()
          + " is not");
    }
  }
}
