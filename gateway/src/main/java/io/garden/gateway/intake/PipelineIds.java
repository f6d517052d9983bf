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

  /** The ids {@link #forKey} makes; a request may not choose one ({@link #reserved}). */
  public static final String KEYED_PREFIX = "p-key-";

  /**
   * The pipeline id an {@code Idempotency-Key} stands for: the same for every retry of one principal's request,
   * whichever gateway takes it and however often it restarted, so the retry finds the pipeline instead of starting
   * another; different principals never share one. Keyed with a secret only the gateways hold for that principal
   * (the stored hash of its credential): nobody else can work the id out in advance and claim it first.
   *
   * @param secret the principal's server-side secret (the same on every gateway that shares the credentials)
   * @throws IllegalArgumentException when the key is not 1–128 letters, digits, '.', '_', ':' or '-'
   */
  public static String forKey(String actor, String key, byte[] secret) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("Idempotency-Key must be 1–128 letters, digits, '.', '_', ':' or '-'"
          + " (a UUID is a good one)");
    }
    byte[] hash;
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      hash = mac.doFinal((actor + "\n" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no HmacSHA256", e);
    }
    return KEYED_PREFIX + java.util.HexFormat.of().formatHex(hash, 0, 12);
  }

  /** Whether a chosen id is one only an Idempotency-Key may make. */
  public static boolean reserved(String id) {
    return id.regionMatches(true, 0, KEYED_PREFIX, 0, KEYED_PREFIX.length());
  }

  public static String next(Clock clock) {
    return "p-" + STAMP.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
