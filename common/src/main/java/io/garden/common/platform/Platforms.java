package io.garden.common.platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platforms a push builds for: {@code GARDEN_PLATFORMS}, else the old toolchain's {@code PLATFORMS}, else
 * {@code linux/amd64,linux/arm64} (what {@code docker buildx --push} built for it). An extension narrows the set for
 * one service with its compose file's {@code build.platforms}.
 */
public record Platforms(List<Platform> list) {

  public static final String DEFAULT = "linux/amd64,linux/arm64";

  public Platforms {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("name at least one platform, e.g. " + DEFAULT);
    }
    list = List.copyOf(new LinkedHashSet<>(list));
  }

  /**
   * A comma-separated list.
   *
   * @param setting the variable it came from, for the error
   * @throws IllegalArgumentException naming the setting and the bad platform
   */
  public static Platforms parse(String value, String setting) {
    List<Platform> parsed = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        try {
          parsed.add(Platform.parse(part));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(setting + ": " + e.getMessage());
        }
      }
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException(setting + " names no platform: e.g. " + DEFAULT);
    }
    return new Platforms(parsed);
  }

  /** The platforms a push builds for, from {@code env}. */
  public static Platforms forPush(Map<String, String> env) {
    String garden = env.get("GARDEN_PLATFORMS");
    if (garden != null && !garden.isBlank()) {
      return parse(garden, "GARDEN_PLATFORMS");
    }
    String old = env.get("PLATFORMS");
    if (old != null && !old.isBlank()) {
      return parse(old, "PLATFORMS");
    }
    return parse(DEFAULT, "the default platforms");
  }

  public static Platforms only(Platform platform) {
    return new Platforms(List.of(platform));
  }

  /**
   * These, narrowed to those a service says it supports ({@code build.platforms} in its compose file).
   *
   * @param declared the service's list, or null when it declares none (it takes every one)
   * @throws IllegalArgumentException when the two share no platform: nothing could be pushed
   */
  public Platforms narrowedTo(List<String> declared, String service) {
    if (declared == null || declared.isEmpty()) {
      return this;
    }
    Set<Platform> supported = new LinkedHashSet<>();
    for (String name : declared) {
      supported.add(Platform.parse(name));
    }
    List<Platform> both = list.stream().filter(supported::contains).toList();
    if (both.isEmpty()) {
      throw new IllegalArgumentException("service " + service + " builds for " + String.join(",", declared)
          + " only (build.platforms), and this push is for " + wire() + ": set GARDEN_PLATFORMS to include one"
          + " of them");
    }
    return new Platforms(both);
  }

  /** True when this is just {@code platform}: one image, no index needed. */
  public boolean isOnly(Platform platform) {
    return list.size() == 1 && list.get(0).equals(platform);
  }

  public String wire() {
    return String.join(",", list.stream().map(Platform::wire).toList());
  }
}
