package io.garden.common.store;

import java.util.regex.Pattern;

/** Object keys are untrusted as soon as they contain an extension name: this is the one check they all pass. */
public final class ObjectKeys {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]*");
  private static final int MAX_KEY_LENGTH = 1024;

  /**
   * Where a registry lives inside a stage's place; found at the top of a shared location, it is a registry of the
   * layout from before each stage had a place of its own.
   */
  public static final String LEGACY_MARKER = "garden/";

  private ObjectKeys() {
  }

  /**
   * @throws IllegalArgumentException when the key is empty, too long, absolute, has an empty segment, a segment
   *                                  starting with '.' (which also rules out {@code ..}), or characters outside
   *                                  {@code [A-Za-z0-9._@+=-]}
   */
  public static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("object key is longer than " + MAX_KEY_LENGTH + " characters");
    }
    for (String segment : key.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("invalid object key '" + key + "': every '/'-separated part must be a"
            + " plain name (letters, digits, . _ @ + = -) that does not start with '.'");
      }
    }
    return key;
  }

  /** A prefix may be empty or end with '/'; otherwise it follows the key rules. */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    check(trimmed);
    return prefix;
  }
}
