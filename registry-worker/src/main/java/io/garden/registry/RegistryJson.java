package io.garden.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The index files' JSON: arrays of entry objects, pretty-printed and stable, parsed strictly. */
public final class RegistryJson {

  private RegistryJson() {
  }

  public static String render(List<ObjectNode> entries) {
    try {
      return EventCodec.shared().mapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(EventCodec.shared().mapper().valueToTree(entries)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render registry index", e);
    }
  }

  public static byte[] bytes(List<ObjectNode> entries) {
    return render(entries).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalStateException when the bytes are not a JSON array of objects (a corrupt remote index is
   *                               never merged into)
   */
  public static List<ObjectNode> parse(byte[] bytes, String where) {
    JsonNode tree;
    try {
      tree = EventCodec.shared().mapper().readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(where + " is not valid JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isArray()) {
      throw new IllegalStateException(where + " is not a JSON array of registry entries");
    }
    List<ObjectNode> entries = new ArrayList<>();
    for (JsonNode node : tree) {
      if (!(node instanceof ObjectNode object) || !object.path("name").isTextual()) {
        throw new IllegalStateException(where + " holds an entry without a name: " + node);
      }
      entries.add(object);
    }
    return entries;
  }
}
