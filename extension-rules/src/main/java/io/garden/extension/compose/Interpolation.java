package io.garden.extension.compose;

import java.util.ArrayList;
import java.util.List;

/** Compose strings may hold {@code ${VAR:-default}} interpolations whose defaults contain ':' — split around them. */
final class Interpolation {

  private Interpolation() {
  }

  /** Splits on ':' outside {@code ${...}} and {@code [...]} (IPv6 addresses). */
  static List<String> splitColons(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int brackets = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (c == '[') {
        brackets++;
      } else if (c == ']' && brackets > 0) {
        brackets--;
      } else if (c == ':' && depth == 0 && brackets == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }
}
