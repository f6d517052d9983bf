package io.garden.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.registry.range.VersionRange;
import org.semver4j.Semver;

/**
 * One entry of a registry index: the extension's kamiwaza.json plus {@code compose_yml} and {@code docker_images}.
 * Kept as the JSON object it is, so fields this code does not know survive a merge untouched.
 */
public record RegistryEntry(ObjectNode json) {

  public String name() {
    return text("name");
  }

  public String version() {
    return text("version");
  }

  /** The {@code kamiwaza_version} text, "*" when absent. */
  public String rangeText() {
    String range = text("kamiwaza_version");
    return range == null || range.isBlank() ? "*" : range;
  }

  public VersionRange range() {
    return VersionRange.parse(rangeText());
  }

  public Semver semver() {
    Semver v = Semver.parse(version());
    if (v == null) {
      throw new IllegalArgumentException("entry " + name() + " has an invalid version: " + version());
    }
    return v;
  }

  private String text(String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
