package io.garden.common.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one owner of Jackson's set-up. Two formats with different contracts:
 * <ul>
 *   <li>{@link #events()}: the wire format of events and the HTTP API — a tolerant reader, because a newer
 *   producer may add fields an older consumer does not know;</li>
 *   <li>{@link #files()} and {@link #fileFactory()}: documents on disk or in a store (kamiwaza.json, the registry
 *   index, the publish lock, image digests) — strict, because an ambiguous file (a key written twice, a second
 *   value after the first, a field nobody reads) is a mistake to report, not something to guess around.</li>
 * </ul>
 * Each is built on first use (holders below): a short command that only reads files never pays for a databind
 * mapper.
 */
public final class Json {

  /** An event record above this is refused before parsing; a pipeline event is a few kilobytes. */
  public static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;
  private static final int MAX_NESTING = 200;

  private static final JsonFactory FILE_FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING)
          .maxStringLength(FileLimits.MAX_FILE_BYTES)
          .build())
      .build();

  private Json() {
  }

  /** The streaming factory for files: strict about duplicate keys, bounded depth and string length. */
  public static JsonFactory fileFactory() {
    return FILE_FACTORY;
  }

  /** Data binding for files, on {@link #fileFactory()}: unknown fields and trailing values are errors. */
  public static ObjectMapper files() {
    return FilesHolder.MAPPER;
  }

  /** Data binding for events and API bodies: unknown fields are ignored (tolerant reader). */
  public static ObjectMapper events() {
    return EventsHolder.MAPPER;
  }

  /**
   * Data binding for request bodies from outside (the API, webhooks): as tolerant of unknown fields as events, but a
   * key given twice or anything after the value is refused — a body that means two things to two readers (last wins
   * here, first wins elsewhere) is not accepted at all.
   */
  public static ObjectMapper requests() {
    return RequestsHolder.MAPPER;
  }

  /**
   * Where in the document a binding error is, as its reader would write it ({@code credentials[0].roles}); empty
   * when the error is about the document as a whole.
   */
  public static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(java.util.stream.Collectors.joining()).replaceFirst("^\\.", "");
  }

  private static final class RequestsHolder {
    static final ObjectMapper MAPPER = tolerant(true);
  }

  private static final class FilesHolder {
    static final ObjectMapper MAPPER = JsonMapper.builder(FILE_FACTORY)
        .addModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }

  private static final class EventsHolder {
    static final ObjectMapper MAPPER = tolerant(false);
  }

  /**
   * A tolerant reader (unknown fields ignored) bounded in depth and string length; {@code strict}: a key given twice
   * or anything after the value is refused too (bodies from outside, unlike our own events).
   */
  private static ObjectMapper tolerant(boolean strict) {
    JsonFactory factory = JsonFactory.builder()
        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxStringLength(MAX_EVENT_BYTES)
            .build())
        .build();
    return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }
}
