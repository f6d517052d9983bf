package io.garden.common.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.garden.common.format.Json;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each node of a JSON or YAML document starts, by JSON pointer, so a finding about {@code /services/web/ports/0}
 * can say line and column. A key's position is that of the key ({@code ports:}), which is where a reader looks.
 * Built only for files that have findings: validation that passes never pays for it.
 */
public final class DocumentPositions {

  /** 1-based line and column. */
  public record Position(int line, int column) {
  }

  /** Enough for any extension file; a document with more nodes keeps the positions of its first ones. */
  private static final int MAX_NODES = 100_000;

  private final Map<String, Position> positions;
  private final Node yamlRoot;

  private DocumentPositions(Map<String, Position> positions) {
    this.positions = positions;
    this.yamlRoot = null;
  }

  private DocumentPositions(Node yamlRoot) {
    this.positions = Map.of();
    this.yamlRoot = yamlRoot;
  }

  private static final DocumentPositions NONE = new DocumentPositions(Map.of());

  /** Positions in a JSON document; none when it does not parse (its parse error already has a line). */
  public static DocumentPositions ofJson(String text) {
    Map<String, Position> out = new HashMap<>();
    try (JsonParser parser = Json.fileFactory().createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null && out.size() < MAX_NODES) {
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          continue;
        }
        // A START token has already opened its child context; its pointer is the one its parent gives it.
        var context = token.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
        String pointer = context.pathAsPointer().toString();
        JsonLocation at = parser.currentTokenLocation();
        out.putIfAbsent(pointer, new Position(at.getLineNr(), at.getColumnNr()));
      }
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
    return new DocumentPositions(out);
  }

  /** Positions in a YAML document; none when it does not parse (its parse error already has a line). */
  public static DocumentPositions ofYaml(String text) {
    Node root;
    try {
      root = Documents.yaml().compose(new StringReader(text));
    } catch (RuntimeException e) {
      return NONE;
    }
    return root == null ? NONE : new DocumentPositions(root);
  }

  /** Positions in a YAML document already parsed into its node tree ({@link Documents#parseYaml}). */
  public static DocumentPositions ofYaml(Node root) {
    return root == null ? NONE : new DocumentPositions(root);
  }

  /**
   * Follows one pointer down the node tree: mapping keys by name, sequence items by index, stopping where the
   * document stops. Only the nodes on the way are looked at, so an alias-heavy file costs no expansion (an alias is
   * the anchored node itself, shown where its content is written).
   */
  private Optional<Position> descend(String pointer) {
    Node node = yamlRoot;
    Position at = mark(node.getStartMark());
    for (String segment : segments(pointer)) {
      Node next = null;
      if (node instanceof MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
          if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment)) {
            next = tuple.getValueNode();
            at = mark(key.getStartMark());
            break;
          }
        }
      } else if (node instanceof SequenceNode sequence && segment.matches("\\d{1,9}")
          && Integer.parseInt(segment) < sequence.getValue().size()) {
        next = sequence.getValue().get(Integer.parseInt(segment));
        at = mark(next.getStartMark());
      }
      if (next == null) {
        break;
      }
      node = next;
    }
    return at.line() > 0 ? Optional.of(at) : Optional.empty();
  }

  private static List<String> segments(String pointer) {
    List<String> segments = new ArrayList<>();
    if (pointer.isEmpty()) {
      return segments;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      segments.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return segments;
  }

  private static Position mark(Mark mark) {
    return mark == null ? new Position(0, 0) : new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  /**
   * The position of {@code pointer}, or of the deepest node on the way to it that exists: a missing
   * {@code /services/web/deploy/resources/limits} is shown at {@code deploy:} when that is as far as the file goes.
   */
  public Optional<Position> find(String pointer) {
    if (yamlRoot != null) {
      return descend(pointer);
    }
    String at = pointer;
    while (true) {
      Position found = positions.get(at);
      if (found != null && found.line() > 0) {
        return Optional.of(found);
      }
      int slash = at.lastIndexOf('/');
      if (slash < 0) {
        return Optional.empty();
      }
      at = at.substring(0, slash);
    }
  }
}
