package io.garden.common.event;

/**
 * A request on {@code garden.registry.requests}: {@code action} is {@code build}, {@code package},
 * {@code download} or {@code dry-run}, for a stage ({@code dev}) and layout ({@code v2}) of the repository at
 * {@code source}.
 */
public record RegistryRequested(SourceRef source, String stage, String format, RegistryAction action)
    implements EventPayload {

  public RegistryRequested {
    stage = stage == null ? "dev" : stage;
    format = format == null ? "v2" : format;
    if (action == null) {
      throw new IllegalArgumentException("a registry request needs an action: build, package, download or dry-run");
    }
  }
}
