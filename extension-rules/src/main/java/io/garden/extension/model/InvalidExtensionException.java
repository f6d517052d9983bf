package io.garden.extension.model;

/** An extension name or path that is not acceptable (it would escape the repository, or is malformed). */
public final class InvalidExtensionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String id;

  public InvalidExtensionException(String id, String message) {
    super(message);
    this.id = id;
  }

  /** What was asked for, as given (e.g. {@code apps/../../etc}). */
  public String id() {
    return id;
  }
}
