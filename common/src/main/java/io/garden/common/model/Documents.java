package io.garden.common.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.FileLimits;
import io.garden.common.format.YamlFormat;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON and YAML files of an extension, which are untrusted input: a size limit before reading, no YAML
 * alias bombs, no arbitrary types, no duplicate keys, and errors that say file, line and problem.
 */
public final class Documents {

  /** kamiwaza.json and compose files are a few kilobytes; anything above this is a mistake or an attack. */
  public static final long MAX_FILE_BYTES = FileLimits.MAX_FILE_BYTES;
  /**
   * What a document may expand to once its aliases are followed, counted in characters of keys and scalars. The
   * alias count alone does not bound it: 1,000 aliases of one long string are harmless to parse (they share one
   * object) but expand to a gigabyte in anything that writes them out.
   */
  public static final long MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES;

  private static final ThreadLocal<Yaml> YAML = ThreadLocal.withInitial(Documents::newYaml);
  private static final ThreadLocal<NodeConstructor> CONSTRUCTOR =
      ThreadLocal.withInitial(() -> new NodeConstructor(YamlFormat.untrustedLoader()));

  private Documents() {
  }

  /** This thread's YAML reader, with the limits above (also for {@link DocumentPositions}). */
  static Yaml yaml() {
    return YAML.get();
  }

  private static Yaml newYaml() {
    LoaderOptions options = YamlFormat.untrustedLoader();
    // SafeConstructor: plain maps, lists and scalars only; no tags that instantiate classes.
    // The writer's options are never used here (this Yaml only reads); the resolver is what matters.
    DumperOptions unused = YamlFormat.blockWriter();
    return new Yaml(new SafeConstructor(options), new Representer(unused), unused, options, YamlFormat.resolver());
  }

  /**
   * Refuses a document whose aliases expand beyond {@link #MAX_EXPANDED_CHARS}; stops counting as soon as it is
   * over, so the check costs no more than the limit however large the expansion would be.
   */
  static void requireExpandedSize(Path file, Object document) {
    long[] budget = {MAX_EXPANDED_CHARS};
    java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
    pending.push(document);
    while (!pending.isEmpty()) {
      Object node = pending.pop();
      // Every node costs at least one: a list that holds itself through an alias runs out of budget, not forever.
      budget[0]--;
      if (node instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          spend(file, budget, e.getKey());
          if (e.getValue() != null) {
            pending.push(e.getValue());
          }
        }
      } else if (node instanceof java.util.List<?> list) {
        for (Object item : list) {
          if (item != null) {
            pending.push(item);
          }
        }
      } else {
        spend(file, budget, node);
      }
    }
  }

  private static void spend(Path file, long[] budget, Object scalar) {
    budget[0] -= String.valueOf(scalar).length() + 1;
    if (budget[0] < 0) {
      throw new DocumentException(file, 0, String.format(Locale.ROOT, "its anchors and aliases expand to more than"
          + " %d MB of text (a YAML alias bomb?); write the values out, or use fewer aliases of large values",
          MAX_EXPANDED_CHARS >> 20));
    }
  }

  /** Reads a file as UTF-8 text within the size limit (one open; the size comes from the open channel). */
  public static String readText(Path file) {
    requirePlainFile(file);
    byte[] bytes;
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      if (size > MAX_FILE_BYTES) {
        throw new DocumentException(file, 0, String.format(Locale.ROOT,
            "file is %.1f MB, above the %d MB limit for extension files", size / 1048576.0, MAX_FILE_BYTES >> 20));
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read until full or end of file
      }
      bytes = buffer.array();
    } catch (NoSuchFileException e) {
      throw new DocumentException(file, 0, "file not found");
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        throw new DocumentException(file, 0, "is a folder; a file is expected here");
      }
      throw new DocumentException(file, 0, "cannot read it (" + e.getClass().getSimpleName().replace("Exception", "")
          + "); check its permissions");
    }
    return utf8(file, bytes);
  }

  /**
   * A pipe, device or socket is refused before it is opened: opening a pipe waits for a writer, so one named
   * kamiwaza.json in a shared folder would hang every validation of it.
   */
  private static void requirePlainFile(Path file) {
    try {
      if (Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).isOther()) {
        throw new DocumentException(file, 0, "is not a plain file (a pipe, device or socket); only plain files"
            + " are read");
      }
    } catch (IOException e) {
      // Missing or unreadable: opening it below says which, in the usual words.
    }
  }

  /** Decodes UTF-8, naming the byte offset of the first byte that is not. */
  private static String utf8(Path file, byte[] bytes) {
    // The JDK's own decoding is fast but replaces a bad byte with U+FFFD instead of failing; only when that
    // character appears (a bad byte, or a file that really contains it) is the file decoded again, strictly.
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.indexOf('\uFFFD') < 0 ? text : strictUtf8(file, bytes);
  }

  private static String strictUtf8(Path file, byte[] bytes) {
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      throw new DocumentException(file, lineOfByte(bytes, offset), "not valid UTF-8 text (first bad byte at offset "
          + offset + "); save it as UTF-8");
    }
    return out.flip().toString();
  }

  /** The line (from 1) holding byte {@code offset}: a line break is one byte in UTF-8, whatever else is not. */
  private static int lineOfByte(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  public static JsonNode parseJsonObject(Path file, String text) {
    if (text.isBlank()) {
      throw new DocumentException(file, 0, "file is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = JsonFiles.readTree(text);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      // Jackson's own words name its internals (StreamReadConstraints...): say what the file did instead.
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DocumentException(file, line, "JSON nested or sized beyond what an extension file needs"
          + " (too deeply nested, or a value too long); simplify it");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DocumentException(file, line, "invalid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new DocumentException(file, 0, "cannot read it as JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new DocumentException(file, 1, "expected a JSON object ({...}) at the top level");
    }
    return node;
  }

  /** Parses a YAML mapping file (a compose file). Keys keep their order. */
  public static Map<String, Object> readYamlMapping(Path file) {
    return parseYamlMapping(file, readText(file));
  }

  public static Map<String, Object> parseYamlMapping(Path file, String text) {
    return parseYaml(file, text).mapping();
  }

  /**
   * A YAML mapping file as its values and its node tree, from one parse: the tree says where each value is written
   * ({@link DocumentPositions#ofYaml(Node)}) without reading the file again.
   */
  public record ParsedYaml(Map<String, Object> mapping, Node root) {
  }

  @SuppressWarnings("unchecked")
  public static ParsedYaml parseYaml(Path file, String text) {
    if (text.isBlank()) {
      throw new DocumentException(file, 0, "file is empty; expected a YAML mapping");
    }
    Node root;
    Object document;
    try {
      root = YAML.get().compose(new java.io.StringReader(text));
      document = root == null ? null : CONSTRUCTOR.get().construct(root);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
      throw new DocumentException(file, line, "invalid YAML: " + problem);
    } catch (YAMLException e) {
      throw new DocumentException(file, 0, "invalid YAML: " + firstLine(e.getMessage()));
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new DocumentException(file, 1, "expected a YAML mapping (key: value) at the top level");
    }
    requireExpandedSize(file, map);
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new DocumentException(file, 0, "top-level key " + key + " is not a string");
      }
    }
    return new ParsedYaml((Map<String, Object>) map, root);
  }

  /** SafeConstructor, turning an already composed node tree into maps, lists and scalars. */
  private static final class NodeConstructor extends SafeConstructor {
    NodeConstructor(LoaderOptions options) {
      super(options);
    }

    Object construct(Node root) {
      return constructDocument(root);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
