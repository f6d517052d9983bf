package io.garden.extension.model;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One extension in a repository: its type, its folder name, and its folder. The id is {@code {type}s/{name}}.
 * Construct through {@link ExtensionDiscovery} so the name and folder have been checked.
 */
public record ExtensionRef(ExtensionType type, String name, Path dir) implements Comparable<ExtensionRef> {

  /** Folder names an extension may have: no separators, no dots at the start, nothing a shell would expand. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public String id() {
    return type.folder() + "/" + name;
  }

  public Path file(String relative) {
    return dir.resolve(relative);
  }

  @Override
  public int compareTo(ExtensionRef other) {
    int byType = type.compareTo(other.type);
    return byType != 0 ? byType : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return id();
  }
}
