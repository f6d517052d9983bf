package io.garden.extension.model;

import java.util.Locale;
import java.util.Optional;

/** The three kinds of extension; the kind is the folder an extension sits in. */
public enum ExtensionType {
  APP("apps"),
  SERVICE("services"),
  TOOL("tools");

  private final String folder;

  ExtensionType(String folder) {
    this.folder = folder;
  }

  /** The repository folder: {@code apps}, {@code services}, {@code tools}. */
  public String folder() {
    return folder;
  }

  /** The singular name used on command lines: {@code app}, {@code service}, {@code tool}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts {@code app}/{@code apps} in any case, as {@code template_type} does. */
  public static Optional<ExtensionType> fromName(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (ExtensionType type : values()) {
      if (type.id().equals(v) || type.folder.equals(v)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** For command lines: a clear usage error naming the accepted values. */
  public static ExtensionType parse(String value) {
    return fromName(value).orElseThrow(() -> new IllegalArgumentException(
        "Error: Invalid type '" + value + "'. Must be: app, service, or tool"));
  }
}
