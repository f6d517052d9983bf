package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a push changed, for {@code targets: "changed"}: the coordinator diffs {@code base..commit} in the checkout
 * and falls back to {@code paths} (the webhook's own list) when the base is not there.
 *
 * @param base  the commit before the push
 * @param paths the changed paths the sender listed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Changes(String base, List<String> paths) {

  public Changes {
    paths = paths == null ? List.of() : List.copyOf(paths);
  }
}
