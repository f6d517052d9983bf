package io.garden.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.garden.common.format.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The index files' JSON: an array with one entry per line (readable, diff-friendly, and written by concatenation,
 * without re-parsing), read as a stream so only one entry's tree exists at a time.
 */
public final class RegistryJson {

  private static final byte[] OPEN = "[\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SEPARATOR = ",\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOSE = "\n]\n".getBytes(StandardCharsets.UTF_8);

  private RegistryJson() {
  }

  public static byte[] bytes(List<IndexEntry> entries) {
    if (entries.isEmpty()) {
      return "[]\n".getBytes(StandardCharsets.UTF_8);
    }
    int size = OPEN.length + CLOSE.length;
    for (IndexEntry e : entries) {
      size += e.rawJson().length + SEPARATOR.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(OPEN);
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.writeBytes(SEPARATOR);
      }
      out.writeBytes(entries.get(i).rawJson());
    }
    out.writeBytes(CLOSE);
    return out.toByteArray();
  }

  /** One entry at a time out of the array: what follows an entry is the next one, not a trailing value. */
  private static final ObjectReader ENTRY = Json.files().reader()
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static String render(List<IndexEntry> entries) {
    return new String(bytes(entries), StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalStateException when the bytes are not a JSON array of named objects (a corrupt remote index is
   *                               never merged into)
   */
  public static List<IndexEntry> parse(byte[] bytes, String where) {
    List<IndexEntry> entries = new ArrayList<>();
    try (JsonParser parser = Json.files().createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException(where + " is not a JSON array of registry entries");
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        entries.add(IndexEntry.of(ENTRY.readTree(parser)));
      }
      if (parser.currentToken() != JsonToken.END_ARRAY) {
        throw new IllegalStateException(where + " holds something other than registry entries");
      }
      if (parser.nextToken() != null) {
        throw new IllegalStateException(where + " holds more after its array of registry entries");
      }
    } catch (IOException e) {
      throw new IllegalStateException(where + " is not valid JSON: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
    return entries;
  }
}
