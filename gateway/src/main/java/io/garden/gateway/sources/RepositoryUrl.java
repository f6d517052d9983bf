package io.garden.gateway.sources;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A git repository URL in one canonical spelling, so that an allow-list compares repositories, not strings: the
 * scheme and host in lower case, the default port left out, percent-encoded letters and digits decoded, no trailing
 * {@code /} or {@code .git}. {@code https://GitHub.com:443/acme/Extensions.git/} and
 * {@code https://github.com/acme/Extensions} are the same repository (paths keep their case: hosts treat it as
 * meaningful).
 */
public final class RepositoryUrl {

  private RepositoryUrl() {
  }

  /** The canonical form, or empty when the text is not a plain URL with a scheme. */
  public static Optional<String> canonical(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (uri.getScheme() == null || uri.getRawPath() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return Optional.empty();
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("ssh") && port == 22
        || scheme.equals("http") && port == 80;
    String user = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    Optional<String> path = decodeUnreserved(uri.getRawPath());
    if (path.isEmpty()) {
      return Optional.empty();
    }
    String trimmed = path.get();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.endsWith(".git")) {
      trimmed = trimmed.substring(0, trimmed.length() - ".git".length());
    }
    return Optional.of(scheme + "://" + user + host + (defaultPort ? "" : ":" + port) + trimmed);
  }

  /**
   * Whether {@code url} is allowed by one allow-list entry: the same repository, or, for an entry ending in
   * {@code /}, that one or a repository below that folder. A prefix that does not end at a {@code /} never matches more than
   * itself: {@code .../acme/extensions} does not allow {@code .../acme/extensions-evil}.
   */
  public static boolean allowedBy(String url, String entry) {
    Optional<String> repo = canonical(url);
    Optional<String> allowed = canonical(entry);
    if (repo.isEmpty() || allowed.isEmpty()) {
      return false;
    }
    if (entry.trim().endsWith("/")) {
      return repo.get().equals(allowed.get()) || repo.get().startsWith(allowed.get() + "/");
    }
    return repo.get().equals(allowed.get());
  }

  /** Percent-escapes of letters, digits and {@code -._~} are the same character; any other escape is refused. */
  private static Optional<String> decodeUnreserved(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        return Optional.empty();
      }
      int value;
      try {
        value = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      char decoded = (char) value;
      if (!(Character.isLetterOrDigit(decoded) && decoded < 128 || "-._~".indexOf(decoded) >= 0)) {
        return Optional.empty();
      }
      out.append(decoded);
      i += 2;
    }
    return Optional.of(out.toString());
  }
}
