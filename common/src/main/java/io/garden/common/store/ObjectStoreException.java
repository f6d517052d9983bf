package io.garden.common.store;

/** The store could not be reached or failed to answer; usually transient (network, disk, throttling). */
public final class ObjectStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public ObjectStoreException(String message) {
    super(message);
  }
}
