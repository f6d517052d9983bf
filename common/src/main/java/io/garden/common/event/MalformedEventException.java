package io.garden.common.event;

/**
 * A record that cannot be decoded into a valid envelope or payload. This is a permanent error: retrying will
 * never help, so consumers dead-letter the record and move on.
 */
public final class MalformedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedEventException(String message) {
    super(message);
  }
}
