package io.garden.common.kafka;

/** An existing topic has a layout the system cannot run safely on. Fatal: start-up must stop. */
public final class TopicLayoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TopicLayoutException(String message) {
    super(message);
  }
}
