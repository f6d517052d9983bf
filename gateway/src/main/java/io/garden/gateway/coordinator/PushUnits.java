package io.garden.gateway.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The units of a push over several platforms. Each extension's push is one unit per platform
 * ({@code hello@linux/arm64}: build and push that platform's images, on a worker that builds it), then one unit
 * named after the extension alone that puts the image index of those platforms under the stage tag, and only once
 * every one of them succeeded: a platform that failed leaves no index. Without platforms a push is one unit per
 * extension, as before platforms were planned.
 */
public final class PushUnits {

  private static final char SEPARATOR = '@';

  private PushUnits() {
  }

  /** Every unit of the push, platforms first, the extensions' index units last. */
  public static List<String> targets(List<String> extensions, List<String> platforms) {
    if (platforms.isEmpty()) {
      return extensions;
    }
    List<String> targets = new ArrayList<>();
    for (String extension : extensions) {
      for (String platform : platforms) {
        targets.add(extension + SEPARATOR + platform);
      }
    }
    targets.addAll(extensions);
    return List.copyOf(targets);
  }

  /** The platform a unit pushes; empty for an extension's index unit (or a push without platforms). */
  public static Optional<String> platformOf(String target) {
    int at = target.lastIndexOf(SEPARATOR);
    return at < 0 ? Optional.empty() : Optional.of(target.substring(at + 1));
  }

  /** The extension a unit belongs to. */
  public static String extensionOf(String target) {
    int at = target.lastIndexOf(SEPARATOR);
    return at < 0 ? target : target.substring(0, at);
  }

  /**
   * Whether a unit may be dispatched now: a platform unit at once, an index unit once every platform unit of its
   * extension succeeded.
   */
  public static boolean ready(String target, List<String> platforms, Predicate<String> succeeded) {
    if (platforms.isEmpty() || platformOf(target).isPresent()) {
      return true;
    }
    return platforms.stream().allMatch(p -> succeeded.test(target + SEPARATOR + p));
  }
}
