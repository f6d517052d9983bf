package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a pipeline reads its extensions from: a local folder ({@code path}, embedded mode) or a git repository
 * at an exact commit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceRef(String path, String repo, String ref, String commit) {

  public static SourceRef local(String path) {
    return new SourceRef(path, null, null, null);
  }

  public static SourceRef git(String repo, String ref, String commit) {
    return new SourceRef(null, repo, ref, commit);
  }

  @JsonIgnore
  public boolean isLocal() {
    return path != null;
  }
}
