package io.garden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

  /** An own image named pinned, with the registry it is in: {@code host:5000/kamiwazaai/x:1.0.0@sha256:…}. */
  private static final java.util.regex.Pattern PINNED_OWN = java.util.regex.Pattern.compile(
      "(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?(kamiwazaai/[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"
          + "@(sha256:[a-f0-9]{64})");

  /**
   * The same entry but for how its own images are named: pinned here (registry host and digest) and not there, or
   * the other way round. When both pin an image, the digests must agree: a different digest under one version is a
   * different image. What a build names depends on whether it could ask the registry; what it means does not.
   */
  public boolean sameUpToPins(IndexEntry other) {
    if (sameContent(other)) {
      return true;
    }
    String mine = new String(json, StandardCharsets.UTF_8);
    String theirs = new String(other.json, StandardCharsets.UTF_8);
    Map<String, String> pinnedHere = pins(mine);
    Map<String, String> pinnedThere = pins(theirs);
    for (Map.Entry<String, String> pin : pinnedHere.entrySet()) {
      String there = pinnedThere.get(pin.getKey());
      if (there != null && !there.equals(pin.getValue())) {
        return false;
      }
    }
    return unpinned(mine).equals(unpinned(theirs));
  }

  /** Its own images named with their digests ({@code kamiwazaai/x:1.0.0@sha256:…}), in name order. */
  public List<String> pinnedImages() {
    return pins(new String(json, StandardCharsets.UTF_8)).entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "@" + e.getValue()).toList();
  }

  private static Map<String, String> pins(String text) {
    Map<String, String> pins = new java.util.HashMap<>();
    java.util.regex.Matcher m = PINNED_OWN.matcher(text);
    while (m.find()) {
      pins.put(m.group(1), m.group(2));
    }
    return pins;
  }

  private static String unpinned(String text) {
    return PINNED_OWN.matcher(text).replaceAll("$1");
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
