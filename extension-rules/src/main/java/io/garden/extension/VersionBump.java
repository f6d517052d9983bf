package io.garden.extension;

import io.garden.extension.manifest.ManifestRules;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** bump (SPEC §5): raises the version in kamiwaza.json, the single source of truth. */
public final class VersionBump {

  public enum Level { MAJOR, MINOR, PATCH;

    public static Level parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Error: Invalid level '" + value + "'. Must be: major, minor, or patch");
      }
    }
  }

  private static final Pattern CORE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+).*");

  private VersionBump() {
  }

  /** The next version; a pre-release or build suffix is dropped (1.2.3-rc.1 → patch → 1.2.4). */
  public static String next(String version, Level level) {
    if (version == null || !ManifestRules.SEMVER.matcher(version).matches()) {
      throw new IllegalArgumentException("Invalid version format: " + version);
    }
    Matcher m = CORE.matcher(version);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid version format: " + version);
    }
    long major = part(version, m.group(1));
    long minor = part(version, m.group(2));
    long patch = part(version, m.group(3));
    return switch (level) {
      case MAJOR -> (major + 1) + ".0.0";
      case MINOR -> major + "." + (minor + 1) + ".0";
      case PATCH -> major + "." + minor + "." + (patch + 1);
    };
  }

  /** A version part as a number, or a usage error in words when it is too large to raise. */
  private static long part(String version, String digits) {
    if (digits.length() > 15) {
      throw new IllegalArgumentException("Error: version " + version + " has a part too large to raise (" + digits
          + "); set a smaller version by hand");
    }
    return Long.parseLong(digits);
  }

  /**
   * kamiwaza.json with its top-level version replaced, every other byte kept (people format these by hand).
   *
   * @throws IllegalStateException when the version string cannot be found exactly once
   */
  public static String rewrite(String json, String oldVersion, String newVersion) {
    Pattern field = Pattern.compile("(\"version\"\\s*:\\s*\")" + Pattern.quote(oldVersion) + "(\")");
    Matcher m = field.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("cannot find \"version\": \"" + oldVersion + "\" in kamiwaza.json");
    }
    int start = m.start();
    if (m.find()) {
      throw new IllegalStateException("\"version\": \"" + oldVersion + "\" appears more than once in kamiwaza.json;"
          + " edit it by hand");
    }
    m.reset();
    m.find(start);
    String bumped = json.substring(0, m.start()) + m.group(1) + newVersion + m.group(2) + json.substring(m.end());
    return retagImage(bumped, oldVersion, newVersion);
  }

  /**
   * An {@code image} field tagged with the old version moves with it ({@code kamiwazaai/x:1.0.0} → {@code :1.0.1}):
   * left behind, validate fails right after the bump. Any other tag is the author's choice and stays.
   */
  private static String retagImage(String json, String oldVersion, String newVersion) {
    Pattern image = Pattern.compile("(\"image\"\\s*:\\s*\"[^\"]*:)" + Pattern.quote(oldVersion) + "(\")");
    Matcher m = image.matcher(json);
    if (!m.find()) {
      return json;
    }
    return json.substring(0, m.start()) + m.group(1) + newVersion + m.group(2) + json.substring(m.end());
  }

  /**
   * docker-compose.yml with its own images ({@code kamiwazaai/...}) tagged with the old version moved to the new one;
   * every other byte kept. Other images and other tags are the author's and stay.
   */
  public static String retagCompose(String yaml, String oldVersion, String newVersion) {
    Pattern own = Pattern.compile("(?m)^(\\s*-?\\s*image:\\s*[\"']?(?:[^\\s\"'#]*/)?kamiwazaai/[^\\s:\"'#]+:v?)"
        + Pattern.quote(oldVersion) + "(?=[\"'\\s]|$)");
    return own.matcher(yaml).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + newVersion));
  }

  /**
   * A Python project's {@code version = "…"} (PEP 621 {@code [project]} or Poetry's {@code [tool.poetry]}) that
   * equals the old version, moved with it; a version that already differs is the author's and stays.
   */
  public static String pyproject(String toml, String oldVersion, String newVersion) {
    Pattern version = Pattern.compile("(?m)^(\\s*version\\s*=\\s*[\"'])" + Pattern.quote(oldVersion) + "([\"'])");
    return version.matcher(toml).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + newVersion + m.group(2)));
  }
}
