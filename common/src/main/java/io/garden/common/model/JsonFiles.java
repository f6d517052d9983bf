package io.garden.common.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The reader of JSON files in extensions (kamiwaza.json): Jackson's streaming parser, strict about duplicate keys,
 * building the tree itself. Events and files are different formats, and a command that only reads files should not
 * pay for setting up a databind mapper (its static set-up alone, date formats and all, was a tenth of a small
 * validate's run).
 */
public final class JsonFiles {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // An extension file is a few kilobytes of shallow JSON; deeper or longer is a mistake or an attack.
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(200)
          .maxStringLength((int) Documents.MAX_FILE_BYTES)
          .build())
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonFiles() {
  }

  public static JsonFactory factory() {
    return FACTORY;
  }

  /** The document in {@code text} as a tree; null for an empty document. */
  public static JsonNode readTree(String text) throws IOException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      JsonNode root = read(parser, first);
      if (parser.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "more than one value in the file");
      }
      return root;
    }
  }

  /** Iterative, so nesting depth is bounded by the parser's limit, not by this thread's stack. */
  private static JsonNode read(JsonParser parser, JsonToken first) throws IOException {
    if (!first.isStructStart()) {
      return scalar(parser, first);
    }
    Deque<JsonNode> open = new ArrayDeque<>();
    JsonNode root = first == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
    open.push(root);
    String field = null;
    JsonToken token;
    while (!open.isEmpty() && (token = parser.nextToken()) != null) {
      switch (token) {
        case FIELD_NAME -> field = parser.currentName();
        case END_OBJECT, END_ARRAY -> open.pop();
        default -> {
          JsonNode value = token == JsonToken.START_OBJECT ? NODES.objectNode()
              : token == JsonToken.START_ARRAY ? NODES.arrayNode() : scalar(parser, token);
          JsonNode parent = open.peek();
          if (parent instanceof ObjectNode object) {
            object.set(field, value);
          } else {
            ((ArrayNode) parent).add(value);
          }
          if (token.isStructStart()) {
            open.push(value);
          }
        }
      }
    }
    return root;
  }

  private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected " + token);
    };
  }
}
