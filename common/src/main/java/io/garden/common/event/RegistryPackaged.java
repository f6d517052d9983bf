package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * package-registry wrote its tarball ({@code path} relative to the repository). {@code artifactKey}: where it was
 * also stored for the pipeline, so a gateway on another host can serve it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryPackaged(String path, long bytes, String sha256, String artifactKey) implements EventPayload {

  public RegistryPackaged(String path, long bytes, String sha256) {
    this(path, bytes, sha256, null);
  }
}
