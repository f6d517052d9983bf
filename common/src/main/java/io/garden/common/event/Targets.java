package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Which extensions a pipeline works on. On the wire it is {@code "all"}, {@code "changed"} or a list of
 * extension ids ({@code ["apps/x", "tools/y"]}), as DESIGN.md writes it.
 */
public record Targets(Mode mode, List<String> ids) {

  public enum Mode { ALL, CHANGED, LIST }

  public Targets {
    ids = List.copyOf(ids);
    if (mode != Mode.LIST && !ids.isEmpty()) {
      throw new IllegalArgumentException("only a LIST selection carries ids");
    }
  }

  public static Targets all() {
    return new Targets(Mode.ALL, List.of());
  }

  public static Targets changed() {
    return new Targets(Mode.CHANGED, List.of());
  }

  public static Targets of(List<String> ids) {
    return new Targets(Mode.LIST, ids);
  }

  @JsonCreator
  static Targets fromJson(JsonNode node) {
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "all" -> all();
        case "changed" -> changed();
        default -> throw new IllegalArgumentException(
            "targets must be \"all\", \"changed\" or a list of extension ids, was \"" + node.asText() + "\"");
      };
    }
    if (node.isArray()) {
      List<String> ids = new ArrayList<>();
      node.forEach(id -> {
        if (!id.isTextual()) {
          throw new IllegalArgumentException("targets list must hold extension ids (strings), found " + id);
        }
        ids.add(id.asText());
      });
      return of(ids);
    }
    throw new IllegalArgumentException("targets must be \"all\", \"changed\" or a list of extension ids");
  }

  @JsonValue
  JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (mode) {
      case ALL -> f.textNode("all");
      case CHANGED -> f.textNode("changed");
      case LIST -> {
        var array = f.arrayNode();
        ids.forEach(array::add);
        yield array;
      }
    };
  }
}
