package io.garden.extension.compose;

import io.garden.common.format.YamlFormat;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the shapes compose data nearly always has, byte for byte as {@link ComposeYaml}'s SnakeYAML set-up writes
 * them, without SnakeYAML's event machinery (which was half of sync-compose's time on 10,000 extensions).
 *
 * <p>Covered: string-keyed maps and lists, nested any way except a list directly in a list; strings of printable
 * ASCII, plain where SnakeYAML leaves them plain and single-quoted where it quotes them; multi-line strings as the
 * literal blocks {@code ComposeYaml} asks for; whole numbers, booleans and empty values. Anything else (another scalar
 * type, an empty collection, a map or list met twice, other characters, a key SnakeYAML would write in its long form,
 * a string it would double-quote) answers empty, and the caller lets SnakeYAML write the whole document: never a guess.
 * {@code BlockYamlWriterTest} holds the two to the same bytes over seeded random documents built from the awkward
 * cases (indicators, quotes, numbers-as-text, scripts).
 */
final class BlockYamlWriter {

  /** SnakeYAML writes a key of this length or more as a complex key ({@code ? key}); leave those to it. */
  private static final int MAX_SIMPLE_KEY = 100;
  private static final ThreadLocal<Resolver> RESOLVER = ThreadLocal.withInitial(YamlFormat::resolver);

  private final StringBuilder out = new StringBuilder(2048);
  private final Resolver resolver = RESOLVER.get();
  /** Maps and lists written so far: SnakeYAML writes one met twice (a YAML alias kept by sync) as an anchor. */
  private final Set<Object> written = Collections.newSetFromMap(new IdentityHashMap<>());

  private BlockYamlWriter() {
  }

  /** The document for {@code root}, or empty when it holds something this writer leaves to SnakeYAML. */
  static Optional<String> write(Map<?, ?> root) {
    if (root.isEmpty()) {
      return Optional.empty();
    }
    BlockYamlWriter writer = new BlockYamlWriter();
    try {
      writer.mapping(root, 0, false);
      return Optional.of(writer.out.toString());
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  /** Keys at {@code indent}; the first on the current line when it follows a list item's dash. */
  private void mapping(Map<?, ?> map, int indent, boolean firstOnDashLine) {
    once(map);
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(first && firstOnDashLine)) {
        spaces(indent);
      }
      first = false;
      out.append(key(entry.getKey())).append(':');
      value(entry.getValue(), indent, false);
    }
  }

  /** Dashes at {@code indent}, each item's content two columns in. */
  private void sequence(List<?> list, int indent) {
    once(list);
    for (Object item : list) {
      spaces(indent);
      out.append('-');
      if (item instanceof List) {
        throw Unsupported.INSTANCE;
      }
      value(item, indent, true);
    }
  }

  /** What follows a key's colon or an item's dash; nested content is indented two columns from {@code indent}. */
  private void value(Object value, int indent, boolean afterDash) {
    if (value == null) {
      out.append('\n');
    } else if (value instanceof Map<?, ?> map) {
      nonEmpty(map.isEmpty());
      if (afterDash) {
        out.append(' ');
        mapping(map, indent + 2, true);
      } else {
        out.append('\n');
        mapping(map, indent + 2, false);
      }
    } else if (value instanceof List<?> list) {
      nonEmpty(list.isEmpty());
      out.append('\n');
      sequence(list, indent + 2);
    } else if (value instanceof String s && s.indexOf('\n') >= 0) {
      out.append(' ');
      literal(s, indent + 2);
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  private String key(Object key) {
    if (!(key instanceof String s) || s.isEmpty() || s.length() >= MAX_SIMPLE_KEY || s.indexOf('\n') >= 0) {
      throw Unsupported.INSTANCE;
    }
    return string(s);
  }

  private String scalar(Object value) {
    if (value instanceof String s) {
      return string(s);
    }
    if (value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    throw Unsupported.INSTANCE;
  }

  /** Plain when SnakeYAML would read it back as the same string, else single-quoted. */
  private String string(String s) {
    if (!printableAscii(s)) {
      throw Unsupported.INSTANCE;
    }
    boolean readsAsText = resolver.resolve(NodeId.scalar, s, true).equals(Tag.STR);
    return readsAsText && plainInBlock(s) ? s : "'" + s.replace("'", "''") + "'";
  }

  /** SnakeYAML's test (Emitter.analyzeScalar) for a one-line string of printable ASCII in block context. */
  private static boolean plainInBlock(String s) {
    int n = s.length();
    if (n == 0 || s.startsWith("---") || s.startsWith("...") || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
      return false;
    }
    char c0 = s.charAt(0);
    boolean spaceAfterFirst = n == 1 || s.charAt(1) == ' ';
    if ("#,[]{}&*!|>'\"%@`".indexOf(c0) >= 0 || (c0 == '?' || c0 == ':' || c0 == '-') && spaceAfterFirst) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (c == ':' && (i + 1 == n || s.charAt(i + 1) == ' ') || c == '#' && s.charAt(i - 1) == ' ') {
        return false;
      }
    }
    return true;
  }

  /**
   * A literal block ({@code |}, {@code |-} or {@code |+} by its final line breaks), lines at {@code indent}, blank
   * lines empty. What SnakeYAML would not write this way (a line ending in a space, a leading space or break that
   * needs an indentation hint, other characters) is left to it.
   */
  private void literal(String s, int indent) {
    if (s.charAt(0) == ' ' || s.charAt(0) == '\n' || s.contains(" \n") || s.endsWith(" ")) {
      throw Unsupported.INSTANCE;
    }
    int n = s.length();
    String chomping = s.charAt(n - 1) != '\n' ? "-" : s.charAt(n - 2) == '\n' ? "+" : "";
    out.append('|').append(chomping).append('\n');
    int start = 0;
    while (start < n) {
      int end = s.indexOf('\n', start);
      String line = s.substring(start, end < 0 ? n : end);
      if (!printableAscii(line)) {
        throw Unsupported.INSTANCE;
      }
      if (!line.isEmpty()) {
        spaces(indent);
        out.append(line);
      }
      out.append('\n');
      start = end < 0 ? n : end + 1;
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private void once(Object collection) {
    if (!written.add(collection)) {
      throw Unsupported.INSTANCE;
    }
  }

  private static void nonEmpty(boolean empty) {
    if (empty) {
      throw Unsupported.INSTANCE;
    }
  }

  private void spaces(int count) {
    for (int i = 0; i < count; i++) {
      out.append(' ');
    }
  }

  /** Thrown to leave a document to SnakeYAML; no stack trace, it is a normal answer. */
  private static final class Unsupported extends RuntimeException {
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super(null, null, false, false);
    }
  }
}
