package io.garden.cli;

import java.util.Map;

/**
 * Whether output goes to a person at a terminal: only then are symbols (✔ ✘ ▶) printed, and never when
 * {@code NO_COLOR} is set (https://no-color.org) or {@code TERM=dumb}. Piped output stays plain ASCII for scripts.
 */
final class Terminal {

  private Terminal() {
  }

  static boolean fancy(Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return System.console() != null && (noColor == null || noColor.isEmpty())
        && !"dumb".equals(env.get("TERM"));
  }
}
