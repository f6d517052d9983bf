package io.garden.common.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The reader of JSON files in extensions (kamiwaza.json): plain Jackson, strict about duplicate keys, none of the
 * event codec's modules and settings. Events and files are different formats; and a short command that only reads
 * files does not pay for setting up the codec.
 */
public final class JsonFiles {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    // An extension file is a few kilobytes of shallow JSON; deeper or longer is a mistake or an attack.
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(200)
        .maxStringLength((int) Documents.MAX_FILE_BYTES)
        .build());
  }
  private static final ObjectReader READER = MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JsonFiles() {
  }

  public static ObjectReader reader() {
    return READER;
  }

  public static JsonFactory factory() {
    return MAPPER.getFactory();
  }
}
