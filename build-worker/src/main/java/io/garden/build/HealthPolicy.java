package io.garden.build;

import com.github.dockerjava.api.model.HealthCheck;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a service's health is checked, as App Garden (compose on Docker) would check it: the compose file's
 * {@code healthcheck} when it has one, else the image's {@code HEALTHCHECK}, each with its timing — run every
 * {@code interval}, each run within {@code timeout}, failures during {@code start_period} not counted, and
 * {@code retries} failures in a row make the service unhealthy. Plain Java: the smoke test runs the checks.
 *
 * @param command the command run inside the container ({@code CMD a b} as {@code [a, b]}, {@code CMD-SHELL s} as
 *                {@code [/bin/sh, -c, s]})
 */
public record HealthPolicy(List<String> command, Duration interval, Duration timeout, int retries,
                           Duration startPeriod) {

  /** Docker's defaults for what a healthcheck leaves out. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_RETRIES = 3;
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|h|m|s)");

  public HealthPolicy {
    command = List.copyOf(command);
    retries = Math.max(1, retries);
  }

  /**
   * A compose service's {@code healthcheck}; empty when it has none, or says none ({@code disable: true},
   * {@code test: ["NONE"]}): the image's own then decides.
   */
  static Optional<HealthPolicy> fromCompose(Object healthcheck) {
    if (!(healthcheck instanceof Map<?, ?> map) || Boolean.TRUE.equals(map.get("disable"))
        || "true".equals(String.valueOf(map.get("disable")))) {
      return Optional.empty();
    }
    Object test = map.get("test");
    List<String> command = test instanceof String shell ? List.of("/bin/sh", "-c", shell)
        : test instanceof List<?> list ? checkCommand(list.stream().map(String::valueOf).toList())
        : List.of();
    if (command.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HealthPolicy(command, duration(map.get("interval"), DEFAULT_INTERVAL),
        duration(map.get("timeout"), DEFAULT_TIMEOUT), integer(map.get("retries"), DEFAULT_RETRIES),
        duration(map.get("start_period"), Duration.ZERO)));
  }

  /** An image's {@code HEALTHCHECK} (its durations in nanoseconds, 0 for Docker's default). */
  static Optional<HealthPolicy> fromImage(HealthCheck check) {
    List<String> command = checkCommand(check.getTest());
    if (command.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HealthPolicy(command, nanos(check.getInterval(), DEFAULT_INTERVAL),
        nanos(check.getTimeout(), DEFAULT_TIMEOUT),
        check.getRetries() == null || check.getRetries() <= 0 ? DEFAULT_RETRIES : check.getRetries(),
        nanos(check.getStartPeriod(), Duration.ZERO)));
  }

  /** Whether {@code failures} failures in a row, the last at {@code sinceStart}, make the service unhealthy. */
  boolean unhealthy(int failures, Duration sinceStart) {
    return failures >= retries && sinceStart.compareTo(startPeriod) >= 0;
  }

  /** "1m30s", "10s", "500ms" as compose writes durations; {@code fallback} when absent or not one. */
  static Duration duration(Object value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    Matcher m = PART.matcher(text);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return fallback;
      }
      end = m.end();
      double amount = Double.parseDouble(m.group(1));
      nanos += (long) (amount * switch (m.group(2)) {
        case "h" -> 3_600_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        case "ms" -> 1_000_000L;
        case "us" -> 1_000L;
        default -> 1L;
      });
    }
    return end == text.length() && end > 0 && nanos > 0 ? Duration.ofNanos(nanos) : fallback;
  }

  private static Duration nanos(Long value, Duration fallback) {
    return value == null || value <= 0 ? fallback : Duration.ofNanos(value);
  }

  private static int integer(Object value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * The command a HEALTHCHECK runs, as the engine would run it: {@code CMD a b} execs {@code [a, b]},
   * {@code CMD-SHELL s} runs {@code /bin/sh -c s}; empty for none ({@code NONE}, or nothing declared).
   */
  static List<String> checkCommand(List<String> test) {
    if (test == null || test.isEmpty()) {
      return List.of();
    }
    return switch (test.get(0)) {
      case "CMD" -> List.copyOf(test.subList(1, test.size()));
      case "CMD-SHELL" -> test.size() < 2 ? List.of() : List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
      case "NONE" -> List.of();
      default -> List.of("/bin/sh", "-c", String.join(" ", test));
    };
  }
}
