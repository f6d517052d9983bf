package io.garden.gateway.intake;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** New pipeline ids, whoever starts the pipeline: {@code p-20261130-120000-1a2b3c4d} (sortable by time, unique). */
public final class PipelineIds {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private PipelineIds() {
  }

  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /**
   * The pipeline id an {@code Idempotency-Key} stands for: the same for every retry of one principal's request,
   * whichever gateway takes it and however often it restarted, so the retry finds the pipeline instead of starting
   * another; different principals never share one.
   *
   * @throws IllegalArgumentException when the key is not 1–128 letters, digits, '.', '_', ':' or '-'
   */
  public static String forKey(String actor, String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("Idempotency-Key must be 1–128 letters, digits, '.', '_', ':' or '-'"
          + " (a UUID is a good one)");
    }
    byte[] hash;
    try {
      hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest((actor + "\n" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
    return "p-key-" + java.util.HexFormat.of().formatHex(hash, 0, 12);
  }

  public static String next(Clock clock) {
    return "p-" + STAMP.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
