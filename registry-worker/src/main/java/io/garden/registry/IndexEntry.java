package io.garden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One entry of a registry index, held compactly: the fields publishing decides on, plus the entry's exact JSON
 * (compact, field order as written). A 100,000-entry index fits in a few tens of megabytes this way, where JSON
 * trees would need hundreds; the tree is parsed again only when someone asks for it.
 */
public final class IndexEntry {

  private final String name;
  private final String version;
  private final String rangeText;
  private final byte[] json;

  private IndexEntry(String name, String version, String rangeText, byte[] json) {
    this.name = name;
    this.version = version;
    this.rangeText = rangeText;
    this.json = json;
  }

  public static IndexEntry of(JsonNode tree) {
    if (!(tree instanceof ObjectNode object) || !object.path("name").isTextual()) {
      throw new IllegalArgumentException("a registry entry must be an object with a name: " + tree);
    }
    String range = object.path("kamiwaza_version").asText("");
    return new IndexEntry(object.get("name").asText(), object.path("version").asText(null),
        range.isBlank() ? "*" : range, io.garden.common.model.JsonFiles.write(object));
  }

  public String name() {
    return name;
  }

  /** The version text, or null when the entry has none. */
  public String version() {
    return version;
  }

  /** The {@code kamiwaza_version} text, "*" when absent. */
  public String rangeText() {
    return rangeText;
  }

  /**
   * The registry-relative file this entry's {@code preview_image} points at ({@code images/x.png} in v2); empty for
   * an absolute path or URL, which the registry does not carry.
   */
  public java.util.Optional<String> previewFile(io.garden.common.registry.RegistryFormat format) {
    String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    int key = text.indexOf("\"preview_image\":\"");
    if (key < 0) {
      return java.util.Optional.empty();
    }
    int start = key + "\"preview_image\":\"".length();
    int end = text.indexOf('"', start);
    String value = end < 0 ? "" : text.substring(start, end);
    return format.isImage(value) ? java.util.Optional.of(value)
        : java.util.Optional.empty();
  }

  /** The entry's JSON, compact. */
  public byte[] json() {
    return json.clone();
  }

  byte[] rawJson() {
    return json;
  }

  public ObjectNode tree() {
    try {
      return (ObjectNode) Json.files().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Byte-identical JSON: what "republishing the same entry" means. */
  public boolean sameContent(IndexEntry other) {
    return Arrays.equals(json, other.json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexEntry other && sameContent(other);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(json);
  }

  @Override
  public String toString() {
    return name + " " + version + " (" + rangeText + ")";
  }
}
