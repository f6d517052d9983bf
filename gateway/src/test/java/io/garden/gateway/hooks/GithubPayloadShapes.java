package io.garden.gateway.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole GitHub webhook bodies in the layout GitHub documents for {@code push} and {@code pull_request} (every object
 * and field a real delivery carries, with this project's own values), so tests see what a real sender sends rather
 * than only the fields the gateway reads. The few values a test varies are {@code ${name}} placeholders.
 */
public final class GithubPayloadShapes {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private GithubPayloadShapes() {
  }

  /** A push of one commit {@code after} on {@code refs/heads/main}, changing {@code path}, pushed now. */
  public static String push(String cloneUrl, String before, String after, String path, String pusher) {
    return push(cloneUrl, before, after, path, pusher, Instant.now());
  }

  /** The same, pushed at {@code pushedAt} (GitHub's {@code repository.pushed_at}, in epoch seconds). */
  public static String push(String cloneUrl, String before, String after, String path, String pusher,
                            Instant pushedAt) {
    return fill("github-push.json", Map.of("clone_url", cloneUrl, "before", before, "after", after, "path", path,
        "pusher", pusher, "pushed_at", Long.toString(pushedAt.getEpochSecond())));
  }

  /** Pull request 7, opened from the fork {@code mallory/extensions} against {@code main}, just now. */
  public static String pullRequestFromFork(String cloneUrl, String baseSha, String headSha) {
    return fill("github-pull_request.json", Map.of("clone_url", cloneUrl, "base_sha", baseSha, "head_sha", headSha,
        "updated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /**
   * Pull request 7 from a branch of the repository itself (trusted code), {@code action} being {@code opened} or
   * {@code synchronize} (a new push to it), just now.
   */
  public static String pullRequest(String cloneUrl, String baseSha, String headSha, String action) {
    return pullRequestFromFork(cloneUrl, baseSha, headSha)
        .replace("\"full_name\": \"mallory/extensions\"", "\"full_name\": \"garden/extensions\"")
        .replaceFirst("\"action\": \"opened\"", "\"action\": \"" + action + "\"");
  }

  private static String fill(String resource, Map<String, String> values) {
    Matcher placeholders = PLACEHOLDER.matcher(read(resource));
    StringBuilder filled = new StringBuilder();
    while (placeholders.find()) {
      String value = values.get(placeholders.group(1));
      if (value == null) {
        throw new IllegalArgumentException(resource + " needs a value for " + placeholders.group(1));
      }
      placeholders.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    return placeholders.appendTail(filled).toString();
  }

  private static String read(String resource) {
    try (InputStream in = GithubPayloadShapes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
