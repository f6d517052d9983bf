package io.garden.gateway.sources;

/** A pipeline source that the configuration does not allow, or that cannot be a source at all. */
public final class SourceRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SourceRefusedException(String message) {
    super(message);
  }
}
