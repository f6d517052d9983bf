package io.garden.extension.compose;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a multi-line {@code sh -c "..."} string command into exec form. In string form compose splits the
 * script on whitespace and interpolates {@code $VAR} itself at deploy time; in exec form the shell gets the script
 * whole, and {@code $$VAR} leaves {@code $VAR} for the shell to expand at run time, as the author meant.
 */
final class ShellCommand {

  private static final Pattern SHELL_C = Pattern.compile("^(?:/bin/|/usr/bin/)?(sh|bash)\\s+-c\\s+(.*)$", Pattern.DOTALL);
  private static final Pattern SHELL_VAR = Pattern.compile("(?<!\\$)\\$(?=[A-Za-z_{])");

  private ShellCommand() {
  }

  /** The exec form of a multi-line shell string, or the command unchanged. */
  static Object toExecForm(Object command) {
    if (!(command instanceof String text) || !text.trim().contains("\n")) {
      return command;
    }
    Matcher m = SHELL_C.matcher(text.trim());
    if (!m.matches()) {
      return command;
    }
    String script = unquote(m.group(2).trim());
    return List.of(m.group(1), "-c", SHELL_VAR.matcher(dedent(script)).replaceAll("\\$\\$"));
  }

  private static String unquote(String s) {
    if (s.length() >= 2) {
      char first = s.charAt(0);
      if ((first == '"' || first == '\'') && s.charAt(s.length() - 1) == first) {
        return s.substring(1, s.length() - 1);
      }
    }
    return s;
  }

  private static String dedent(String script) {
    String[] lines = script.strip().split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        indent = Math.min(indent, lines[i].length() - lines[i].stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder(lines[0].strip());
    for (int i = 1; i < lines.length; i++) {
      out.append('\n').append(lines[i].isBlank() ? "" : lines[i].substring(Math.min(indent, lines[i].length())));
    }
    return out.toString();
  }
}
