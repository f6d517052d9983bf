package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request on {@code garden.registry.requests}: {@code action} is {@code build}, {@code package},
 * {@code download} or {@code dry-run}, for a stage ({@code dev}) and layout ({@code v2}) of the repository at
 * {@code source}. {@code extension}: a dry run of the publish of that one extension (what a chat command's
 * {@code publish x to prod dry-run} rehearses), as the real one would publish it; absent, the whole registry.
 */
public record RegistryRequested(SourceRef source, String stage, String format, RegistryAction action,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String extension)
    implements EventPayload {

  public RegistryRequested(SourceRef source, String stage, String format, RegistryAction action) {
    this(source, stage, format, action, null);
  }

  public RegistryRequested {
    stage = stage == null ? "dev" : stage;
    format = format == null ? "v2" : format;
    if (action == null) {
      throw new IllegalArgumentException("a registry request needs an action: build, package, download or dry-run");
    }
  }
}
