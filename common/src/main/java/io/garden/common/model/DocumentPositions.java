package io.garden.common.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  private DocumentPositions(Map<String, Position> positions) {
    this.positions = positions;
  }

  private static final DocumentPositions NONE = new DocumentPositions(Map.of());

  /** Positions in a JSON document; none when it does not parse (its parse error already has a line). */
  public static DocumentPositions ofJson(String text) {
    Map<String, Position> out = new HashMap<>();
    try (JsonParser parser = JsonFiles.factory().createParser(text)) {
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
    if (root == null) {
      return NONE;
    }
    Map<String, Position> out = new HashMap<>();
    walk(root, "", mark(root.getStartMark()), out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return new DocumentPositions(out);
  }

  /**
   * Aliased nodes are walked once, at their anchor: an alias bomb cannot make this expand. (SnakeYAML hands an alias
   * back as the anchored node itself, so an alias is shown where its content is written.)
   */
  private static void walk(Node node, String pointer, Position at, Map<String, Position> out, Set<Node> seen) {
    if (out.size() >= MAX_NODES) {
      return;
    }
    out.putIfAbsent(pointer, at);
    if (!seen.add(node)) {
      return;
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
        walk(tuple.getValueNode(), pointer + Finding.pointer(key), mark(tuple.getKeyNode().getStartMark()), out,
            seen);
      }
    } else if (node instanceof SequenceNode sequence) {
      int index = 0;
      for (Node item : sequence.getValue()) {
        walk(item, pointer + "/" + index++, mark(item.getStartMark()), out, seen);
      }
    }
  }

  private static Position mark(Mark mark) {
    return mark == null ? new Position(0, 0) : new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  /**
   * The position of {@code pointer}, or of the deepest node on the way to it that exists: a missing
   * {@code /services/web/deploy/resources/limits} is shown at {@code deploy:} when that is as far as the file goes.
   */
  public Optional<Position> find(String pointer) {
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
