package io.garden.cli.remote;

/** Talking to the gateway failed; the message is one line for the user. */
public final class RemoteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RemoteException(String message) {
    super(message);
  }
}
