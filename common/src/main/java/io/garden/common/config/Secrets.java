package io.garden.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret from the environment: {@code NAME}, or the file named by {@code NAME_FILE} (how container platforms
 * hand secrets over). There are no defaults, and a message never contains the value.
 */
public final class Secrets {

  private Secrets() {
  }

  /** @throws IllegalArgumentException when both forms are set, or the file cannot be read */
  public static Optional<String> read(Map<String, String> env, String name) {
    String direct = env.get(name);
    String file = env.get(name + "_FILE");
    boolean hasDirect = direct != null && !direct.isBlank();
    boolean hasFile = file != null && !file.isBlank();
    if (hasDirect && hasFile) {
      throw new IllegalArgumentException(name + " and " + name + "_FILE are both set; set only one");
    }
    if (hasDirect) {
      return Optional.of(direct.trim());
    }
    if (!hasFile) {
      return Optional.empty();
    }
    try {
      String value = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
      if (value.isEmpty()) {
        throw new IllegalArgumentException(name + "_FILE names an empty file: " + file.trim());
      }
      return Optional.of(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + name + "_FILE (" + file.trim() + "): "
          + e.getClass().getSimpleName());
    }
  }
}
