package io.garden.extension.compose;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A compose volume entry of a service. Short syntax is {@code [source:]target[:mode]}; a source that is not a
 * plain volume name is a host path: a bind mount.
 */
final class VolumeSpec {

  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private VolumeSpec() {
  }

  /** The source of a short or long entry, or null for an anonymous volume ({@code /data} alone). */
  static String source(Object entry) {
    if (entry instanceof Map<?, ?> map) {
      Object source = map.get("source");
      return source == null ? null : source.toString();
    }
    if (entry instanceof String text) {
      List<String> parts = Interpolation.splitColons(text.trim());
      return parts.size() > 1 ? parts.get(0) : null;
    }
    return null;
  }

  /** True for {@code /x}, {@code ./x}, {@code ../x}, {@code ~/x}, {@code ${PWD}/x} and long {@code type: bind}. */
  static boolean isBindMount(Object entry) {
    if (entry instanceof Map<?, ?> map) {
      Object type = map.get("type");
      if (type != null) {
        return "bind".equals(type.toString());
      }
    }
    String source = source(entry);
    return source != null && !VOLUME_NAME.matcher(source).matches();
  }

  /** The named volume an entry uses, or null. */
  static String namedVolume(Object entry) {
    if (entry instanceof Map<?, ?> map && map.get("type") != null && !"volume".equals(map.get("type").toString())) {
      return null;
    }
    String source = source(entry);
    return source != null && VOLUME_NAME.matcher(source).matches() ? source : null;
  }

  /** How an entry reads in a message: the string itself, or {@code source:target} for long syntax. */
  static String describe(Object entry) {
    if (entry instanceof Map<?, ?> map) {
      return map.get("source") + ":" + map.get("target");
    }
    return String.valueOf(entry);
  }
}
