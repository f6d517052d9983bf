package io.garden.common.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.format.Json;

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

  private static final JsonFactory FACTORY = Json.fileFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonFiles() {
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

  /** The tree as compact JSON, byte for byte what Jackson's mapper writes for it, without setting a mapper up. */
  public static byte[] write(JsonNode tree) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
    try (com.fasterxml.jackson.core.JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, tree);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write JSON", e);
    }
    return out.toByteArray();
  }

  private static void write(com.fasterxml.jackson.core.JsonGenerator out, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.writeStartObject();
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
          out.writeFieldName(field.getKey());
          write(out, field.getValue());
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (JsonNode item : node) {
          write(out, item);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(node.textValue());
      case BOOLEAN -> out.writeBoolean(node.booleanValue());
      case NULL, MISSING -> out.writeNull();
      case NUMBER -> {
        if (node.isInt()) {
          out.writeNumber(node.intValue());
        } else if (node.isLong()) {
          out.writeNumber(node.longValue());
        } else if (node.isBigInteger()) {
          out.writeNumber(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
          out.writeNumber(node.decimalValue());
        } else if (node.isFloat()) {
          out.writeNumber(node.floatValue());
        } else {
          out.writeNumber(node.doubleValue());
        }
      }
      default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
    }
  }
}
