package io.garden.extension.compose;

import java.util.List;
import java.util.Map;

/**
 * A compose port entry. Short syntax is {@code [[ip:]host:]container[/protocol]}; App Garden assigns host ports
 * itself, so only the container side may stay.
 */
final class PortSpec {

  private PortSpec() {
  }

  /** True when a short-syntax entry names a host port (or host address). */
  static boolean hasHostPart(Object entry) {
    if (entry instanceof Map<?, ?> map) {
      return map.containsKey("published") || map.containsKey("host_ip");
    }
    return entry instanceof String text && Interpolation.splitColons(text.trim()).size() > 1;
  }

  /**
   * The entry with only the container side: {@code "127.0.0.1:80:80"} → {@code "80"},
   * {@code "${HOST:-1}:${PORT:-2}"} → {@code "${PORT:-2}"}, long syntax keeps {@code target} (and protocol).
   */
  static Object containerOnly(Object entry) {
    if (entry instanceof Map<?, ?> map) {
      var kept = new java.util.LinkedHashMap<String, Object>();
      if (map.containsKey("target")) {
        kept.put("target", map.get("target"));
      }
      if (map.containsKey("protocol")) {
        kept.put("protocol", map.get("protocol"));
      }
      return kept;
    }
    if (entry instanceof String text) {
      List<String> parts = Interpolation.splitColons(text.trim());
      return parts.get(parts.size() - 1);
    }
    return entry;
  }
}
