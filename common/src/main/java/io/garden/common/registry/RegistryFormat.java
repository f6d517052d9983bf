package io.garden.common.registry;

/** Registry layouts: v2 ({@code garden/v2}, every entry needs kamiwaza_version) and v1 ({@code garden/default}). */
public enum RegistryFormat {
  V2("v2", true),
  V1("default", false);

  private final String dir;
  private final boolean requiresRange;

  RegistryFormat(String dir, boolean requiresRange) {
    this.dir = dir;
    this.requiresRange = requiresRange;
  }

  /** The folder under {@code garden/}: {@code v2} or {@code default}. */
  public String dir() {
    return dir;
  }

  public boolean requiresRange() {
    return requiresRange;
  }

  public static RegistryFormat parse(String value) {
    return switch (value == null ? "v2" : value) {
      case "v2" -> V2;
      case "v1", "default" -> V1;
      default -> throw new IllegalArgumentException("Error: Invalid repo version '" + value + "'. Must be: v2 or v1");
    };
  }
}
