package io.garden.common.kafka;

/** Kafka could not be reached or did not answer in time. Transient: callers retry with back-off, then give up. */
public final class KafkaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
