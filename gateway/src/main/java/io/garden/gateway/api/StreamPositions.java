package io.garden.gateway.api;

import io.garden.gateway.http.HttpProblem;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A place in the audit stream as one string, {@code partition:offset} pairs ({@code 0:12,1:40,2:7}): each event's
 * SSE id is the place just after it, so a client that reconnects with {@code Last-Event-ID} misses nothing.
 */
public final class StreamPositions {

  private StreamPositions() {
  }

  public static String format(Map<Integer, Long> positions) {
    return new TreeMap<>(positions).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** @throws HttpProblem (400) for anything that is not such a list */
  public static Map<Integer, Long> parse(String value) {
    Map<Integer, Long> positions = new TreeMap<>();
    try {
      for (String pair : value.split(",")) {
        String[] parts = pair.trim().split(":");
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        int partition = Integer.parseInt(parts[0].trim());
        long offset = Long.parseLong(parts[1].trim());
        if (partition < 0 || offset < 0) {
          throw new NumberFormatException();
        }
        positions.put(partition, offset);
      }
    } catch (NumberFormatException e) {
      throw new HttpProblem(400, "a stream position is a list of partition:offset pairs (like 0:12,1:40), was '"
          + value + "'");
    }
    return positions;
  }
}
