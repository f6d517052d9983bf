package io.garden.common.config;

import java.util.Map;

/**
 * A whole-number setting from the environment: unset or blank means the default; anything else must be a whole
 * number inside its range, or the component refuses to start, naming the variable, what it must be and what it was.
 */
public final class NumberSetting {

  private NumberSetting() {
  }

  /**
   * @param mustBe what a valid value is, in the user's words ("a port number (0 picks a free one)")
   */
  public static long read(Map<String, String> env, String name, long fallback, long min, long max, String mustBe) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new IllegalArgumentException(name + " must be " + mustBe + ", was '" + value + "'");
  }

  /** An int of at least {@code min}: "NAME must be a whole number of at least MIN". */
  public static int atLeast(Map<String, String> env, String name, int fallback, int min) {
    return (int) read(env, name, fallback, min, Integer.MAX_VALUE, "a whole number of at least " + min);
  }
}
