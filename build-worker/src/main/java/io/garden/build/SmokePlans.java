package io.garden.build;

import io.garden.common.model.ImageRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the smoke test starts, read from the App Garden compose file as compose reads it: the services in
 * {@code depends_on} order, each with its image (own ones as built locally), environment, named volumes, first
 * port, entrypoint, command and healthcheck. Plain Java.
 */
final class SmokePlans {

  private static final Pattern INTERPOLATION = Pattern.compile(
      "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

  /**
   * One service as compose would start it.
   *
   * @param entrypoint null: the image's own
   * @param command    null: the image's own
   * @param health     the compose file's healthcheck; empty: the image's HEALTHCHECK, else HTTP /health on the port
   */
  record Plan(String service, String image, List<String> env, Map<String, String> volumes, Integer port,
              List<String> entrypoint, List<String> command, java.util.Optional<HealthPolicy> health) {
  }

  private SmokePlans() {
  }

  /** Services in depends_on order, with their local image, environment, named volumes and health port. */
  @SuppressWarnings("unchecked")
  static List<Plan> plans(Map<String, Object> compose, String devTag) {
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    if (compose.get("services") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> services.put(String.valueOf(k), v instanceof Map<?, ?> m
          ? (Map<String, Object>) m : Map.of()));
    }
    List<Plan> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (String name : services.keySet()) {
      visit(name, services, done, new LinkedHashSet<>(), ordered, devTag);
    }
    return ordered;
  }

  private static void visit(String name, Map<String, Map<String, Object>> services, Set<String> done,
                            Set<String> path, List<Plan> ordered, String devTag) {
    if (done.contains(name)) {
      return;
    }
    if (!path.add(name)) {
      throw new IllegalArgumentException("depends_on cycle through service '" + name + "'");
    }
    Map<String, Object> service = services.get(name);
    if (service == null) {
      throw new IllegalArgumentException("depends_on names an unknown service '" + name + "'");
    }
    Object deps = service.get("depends_on");
    List<String> names = deps instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList()
        : deps instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    for (String dep : names) {
      visit(dep, services, done, path, ordered, devTag);
    }
    done.add(name);
    ordered.add(new Plan(name, localImage(String.valueOf(service.get("image")), devTag), env(service.get("environment")),
        volumes(service.get("volumes")), firstPort(service.get("ports")), words(service.get("entrypoint")),
        words(service.get("command")), HealthPolicy.fromCompose(service.get("healthcheck"))));
  }

  /** Own images are tested as built locally ({@code -dev}); others as named. */
  private static String localImage(String image, String devTag) {
    ImageRef ref = ImageRef.parse(image);
    return ref != null && ref.isOwn() ? new ImageRef(null, ref.repository(), devTag, null).toString() : image;
  }

  /** A compose command line, interpolated as its environment is; null when the service names none. */
  private static List<String> words(Object value) {
    List<String> words = commandLine(value);
    return words == null ? null : words.stream().map(SmokePlans::interpolate).toList();
  }

  private static List<String> env(Object environment) {
    List<String> env = new ArrayList<>();
    if (environment instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.add(k + "=" + interpolate(v == null ? "" : String.valueOf(v))));
    } else if (environment instanceof List<?> list) {
      list.forEach(item -> env.add(interpolate(String.valueOf(item))));
    }
    return env;
  }

  /**
   * {@code ${VAR:-default}} takes its default; a bare {@code ${VAR}} is empty (a smoke test has no secrets);
   * {@code $$} is a literal {@code $}, left for the container's shell, as compose leaves it.
   */
  static String interpolate(String value) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group().equals("$$") ? "$" : m.group(2) == null ? "" : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> volumes(Object volumes) {
    Map<String, String> named = new LinkedHashMap<>();
    if (volumes instanceof List<?> list) {
      for (Object v : list) {
        String[] parts = String.valueOf(v).split(":");
        if (parts.length >= 2 && parts[0].matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
          named.put(parts[0], parts[1]);
        }
      }
    }
    return named;
  }

  private static Integer firstPort(Object ports) {
    if (ports instanceof List<?> list && !list.isEmpty()) {
      Object first = list.get(0);
      String text = first instanceof Map<?, ?> m ? String.valueOf(m.get("target")) : String.valueOf(first);
      String container = text.substring(text.lastIndexOf(':') + 1).replaceAll("/.*$", "");
      try {
        return Integer.parseInt(interpolate(container).split("-")[0]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** A compose {@code command} or {@code entrypoint}: a list as it is, a string split as compose splits it. */
  static List<String> commandLine(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      return null;
    }
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c == '\\' && i + 1 < text.length() ? text.charAt(++i) : c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
