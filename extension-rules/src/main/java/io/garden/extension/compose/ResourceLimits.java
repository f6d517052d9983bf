package io.garden.extension.compose;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Default {@code deploy.resources.limits} by image, as App Garden sizes them (SPEC §3 rule 6). */
final class ResourceLimits {

  private ResourceLimits() {
  }

  static Map<String, Object> forImage(String image) {
    String i = image == null ? "" : image.toLowerCase(Locale.ROOT);
    if (i.contains("postgres") || i.contains("mysql")) {
      return limits("0.5", "512M");
    }
    if (i.contains("redis")) {
      return limits("0.25", "256M");
    }
    if (i.contains("frontend") || i.contains("nginx")) {
      return limits("0.5", "512M");
    }
    return limits("1.0", "1G");
  }

  private static Map<String, Object> limits(String cpus, String memory) {
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("cpus", cpus);
    limits.put("memory", memory);
    return limits;
  }
}
