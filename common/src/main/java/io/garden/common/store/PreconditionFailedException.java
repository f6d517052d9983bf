package io.garden.common.store;

/** A conditional write or delete was refused because the object is not in the state the caller expected. */
public final class PreconditionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public PreconditionFailedException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
