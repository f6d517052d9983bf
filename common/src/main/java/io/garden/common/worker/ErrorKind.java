package io.garden.common.worker;

import io.garden.common.event.FailureKind;
import io.garden.common.event.MalformedEventException;
import io.garden.common.kafka.KafkaUnavailableException;
import io.garden.common.store.ObjectStoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * The three kinds of failure, decided in one place: permanent (bad input: emit a failed event, dead-letter, move
 * on), transient (the world is briefly unavailable: bounded retry with back-off), fatal (the process cannot go on:
 * log and exit non-zero).
 */
public enum ErrorKind {
  PERMANENT,
  TRANSIENT,
  FATAL;

  public static ErrorKind of(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof VirtualMachineError || e instanceof LinkageError) {
      return FATAL;
    }
    if (e instanceof MalformedEventException) {
      return PERMANENT;
    }
    if (e instanceof KafkaUnavailableException || e instanceof ObjectStoreException || e instanceof TimeoutException
        || e instanceof IOException || e instanceof UncheckedIOException) {
      return TRANSIENT;
    }
    // Anything else is a rule saying no, or a bug: retrying will not change the answer.
    return PERMANENT;
  }

  /** A rule said no to a good request: permanent, but a finding rather than a bad record. */
  public static boolean isRefusal(Throwable error) {
    return unwrap(error) instanceof WorkRefusedException;
  }

  /** How a refusal's {@code step.failed} names it ({@code findings} unless the rule says otherwise). */
  public static FailureKind refusalKind(Throwable error) {
    return unwrap(error) instanceof WorkRefusedException refused ? refused.kind() : FailureKind.FINDINGS;
  }

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** How a {@code step.failed} event names this kind. */
  public FailureKind failureKind() {
    return switch (this) {
      case PERMANENT -> FailureKind.PERMANENT;
      case TRANSIENT -> FailureKind.TRANSIENT;
      case FATAL -> FailureKind.FATAL;
    };
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException || t instanceof FailureWithEvents)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
