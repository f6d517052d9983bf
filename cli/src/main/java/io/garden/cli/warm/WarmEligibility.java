package io.garden.cli.warm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which commands the warm server runs, and when it hands one back to the cold path instead. It runs the short
 * commands (the ones that read a repository and print a report), and only when running them in its JVM cannot
 * change what they print: anything that would depend on this JVM rather than the caller's (JVM options, locale,
 * time zone, Java), on a relative path in a setting (it would resolve against the server's folder), or on global
 * state (traces) goes cold. The launcher makes the same first choice by the command name, so long commands never
 * pay for a round trip.
 */
final class WarmEligibility {

  /** Commands that start, read the repository, print and end: where the JVM's start-up is most of the time. */
  static final Set<String> SHORT_COMMANDS = Set.of("validate", "sync-compose", "build-registry", "package-registry",
      "list-published", "bump", "new", "help", "--help", "-h", "--version", "-V");

  /** Settings that must be the server's own for a command to print the same: they shape the JVM, not garden. */
  private static final List<String> SAME_AS_SERVER = List.of("LANG", "LC_ALL", "LC_CTYPE", "LC_COLLATE",
      "LC_MESSAGES", "TZ", "JAVA_HOME", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "GARDEN_JAVA_OPTS");

  private static final Pattern OURS = Pattern.compile("(GARDEN|AWS|KAMIWAZA)_[A-Z0-9_]*|[A-Z0-9_]+_FILE");
  private static final Pattern PATH_NAMED = Pattern.compile(".*(_FILE|STORE(_[A-Z]+)?|_DIR|_PATHS?|_CACHE|CLASSPATH)");

  private WarmEligibility() {
  }

  /**
   * Why this command must run cold, or empty when the server may run it.
   *
   * @param env the caller's environment with its {@code .env} applied
   * @param serverEnv the environment the server was started with
   */
  static Optional<String> coldReason(List<String> args, Map<String, String> env, Map<String, String> serverEnv) {
    if (!args.isEmpty() && !SHORT_COMMANDS.contains(args.get(0))) {
      return Optional.of("not a short command: " + args.get(0));
    }
    if (args.stream().anyMatch(a -> a.equals("--remote") || a.startsWith("--remote="))
        || !env.getOrDefault("GARDEN_URL", "").isBlank()) {
      return Optional.of("it runs on a gateway");
    }
    if (env.keySet().stream().anyMatch(name -> name.startsWith("OTEL_"))) {
      return Optional.of("OTEL_* settings (traces are set up once per JVM)");
    }
    for (String name : SAME_AS_SERVER) {
      if (!env.getOrDefault(name, "").equals(serverEnv.getOrDefault(name, ""))) {
        return Optional.of(name + " differs from the server's");
      }
    }
    return env.entrySet().stream()
        .filter(e -> OURS.matcher(e.getKey()).matches() && relativePath(e.getKey(), e.getValue().trim()))
        .map(e -> e.getKey() + " is a relative path")
        .findFirst();
  }

  private static boolean relativePath(String name, String value) {
    String path = value.startsWith("file://") ? value.substring("file://".length()) : value;
    return PATH_NAMED.matcher(name).matches() && !path.isEmpty() && !path.startsWith("/") && !path.contains("://");
  }
}
