package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a push changed, for {@code targets: "changed"}: the coordinator diffs {@code base..commit} in the checkout
 * and falls back to {@code paths} (the webhook's own list) when the base is not there.
 *
 * <p>The list is bounded: one longer than {@link #MAX_PATHS} paths or {@link #MAX_PATH_CHARS} characters in all is
 * dropped (a sender's list is only a fallback; without it the coordinator diffs, and when it cannot, every extension
 * runs), so a request that carries it always fits in one event.
 *
 * @param base  the commit before the push
 * @param paths the changed paths the sender listed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Changes(String base, List<String> paths) {

  public static final int MAX_PATHS = 3_000;
  public static final int MAX_PATH_CHARS = 256 * 1024;

  public Changes {
    paths = paths == null || paths.size() > MAX_PATHS
        || paths.stream().mapToLong(p -> p == null ? 0 : p.length()).sum() > MAX_PATH_CHARS ? List.of()
        : List.copyOf(paths);
  }
}
