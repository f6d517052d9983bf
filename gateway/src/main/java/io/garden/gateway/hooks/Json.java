package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Small readers over an untrusted JSON body that say which field is missing or wrong. */
final class Json {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private Json() {
  }

  static String text(JsonNode node, String path) {
    JsonNode value = node.at(path);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new HookPayloadException("the payload has no " + path.substring(1).replace('/', '.'));
    }
    return value.asText();
  }

  static String optionalText(JsonNode node, String path) {
    JsonNode value = node.at(path);
    return value.isTextual() ? value.asText() : null;
  }

  static String sha(JsonNode node, String path) {
    String value = text(node, path);
    if (!SHA.matcher(value).matches()) {
      throw new HookPayloadException(path.substring(1).replace('/', '.') + " is not a commit id (40 hex digits)");
    }
    return value;
  }

  /** A commit id, or null for git's "no commit" (all zeros) and anything that is not one. */
  static String optionalSha(JsonNode node, String path) {
    String value = optionalText(node, path);
    return value != null && SHA.matcher(value).matches() && !value.chars().allMatch(c -> c == '0') ? value : null;
  }

  /** Every path in the commits' added / modified / removed lists. */
  static List<String> changedPaths(JsonNode commits) {
    List<String> paths = new ArrayList<>();
    if (commits.isArray()) {
      for (JsonNode commit : commits) {
        for (String list : List.of("added", "modified", "removed")) {
          commit.path(list).forEach(p -> {
            if (p.isTextual()) {
              paths.add(p.asText());
            }
          });
        }
      }
    }
    return paths.stream().distinct().toList();
  }

  /**
   * A time the sender wrote: epoch seconds (GitHub's {@code pushed_at} in push events), ISO-8601, or GitLab's
   * {@code 2026-12-04 10:00:00 UTC}; null when absent or unreadable (it only ever narrows what a delivery may do).
   */
  static java.time.Instant optionalTime(JsonNode node, String path) {
    JsonNode value = node.at(path);
    if (value.isNumber()) {
      return java.time.Instant.ofEpochSecond(value.asLong());
    }
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText().trim();
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException notIso) {
      try {
        return java.time.LocalDateTime.parse(text.replace(" UTC", "").replace(' ', 'T'))
            .toInstant(java.time.ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException unreadable) {
        return null;
      }
    }
  }
}
