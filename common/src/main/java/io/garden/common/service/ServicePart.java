package io.garden.common.service;

import io.vertx.core.VerticleBase;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One verticle of a service, by the name it is reported under in /health; a fresh one from each call.
 *
 * @param about facts /health shows under the part's name, found when it was made (a build worker: the platforms
 *              it builds and how)
 */
public record ServicePart(String name, Supplier<VerticleBase> verticle, Map<String, String> about) {

  public ServicePart {
    about = Map.copyOf(about);
  }

  public ServicePart(String name, Supplier<VerticleBase> verticle) {
    this(name, verticle, Map.of());
  }

  /** What each of {@code parts} found, by part name, for /health; parts that found nothing are left out. */
  public static Map<String, Map<String, String>> about(java.util.Collection<ServicePart> parts) {
    Map<String, Map<String, String>> about = new java.util.LinkedHashMap<>();
    parts.forEach(part -> {
      if (!part.about().isEmpty()) {
        about.put(part.name(), part.about());
      }
    });
    return about;
  }
}
