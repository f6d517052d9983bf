package io.garden.gateway.intake;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How senders prove a request is theirs, checked before anything else is read from it. Every comparison takes the
 * same time whatever the input, so an attacker cannot learn a signature byte by byte from response times.
 */
public final class Signatures {

  /** Slack's rule: a request signed more than five minutes from now is refused (it may be a replay). */
  public static final Duration SLACK_TOLERANCE = Duration.ofMinutes(5);

  /** The outcome of a check, with the words the 401 answer uses. */
  public enum Verdict {
    VALID(null),
    MISSING("the request is not signed"),
    WRONG("the signature does not match"),
    STALE("the request timestamp is more than 5 minutes away from now");

    private final String problem;

    Verdict(String problem) {
      this.problem = problem;
    }

    public String problem() {
      return problem;
    }
  }

  private Signatures() {
  }

  /** GitHub: {@code X-Hub-Signature-256: sha256=HEX}, HMAC-SHA256 of the raw body. */
  public static Verdict github(byte[] secret, byte[] body, String header) {
    if (header == null || header.isBlank()) {
      return Verdict.MISSING;
    }
    String expected = "sha256=" + hmacHex(secret, body);
    return same(expected, header.trim()) ? Verdict.VALID : Verdict.WRONG;
  }

  /** GitLab: {@code X-Gitlab-Token} is the shared token itself. */
  public static Verdict gitlab(byte[] token, String header) {
    if (header == null || header.isEmpty()) {
      return Verdict.MISSING;
    }
    return MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8)) ? Verdict.VALID : Verdict.WRONG;
  }

  /**
   * Slack: {@code X-Slack-Signature: v0=HEX}, HMAC-SHA256 of {@code v0:TIMESTAMP:BODY}, with
   * {@code X-Slack-Request-Timestamp} within {@link #SLACK_TOLERANCE} of {@code now}.
   */
  public static Verdict slack(byte[] secret, String timestamp, byte[] body, String header, Instant now) {
    if (header == null || header.isBlank() || timestamp == null || timestamp.isBlank()) {
      return Verdict.MISSING;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.WRONG;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > SLACK_TOLERANCE.toSeconds()) {
      return Verdict.STALE;
    }
    byte[] prefix = ("v0:" + timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8);
    byte[] base = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, base, 0, prefix.length);
    System.arraycopy(body, 0, base, prefix.length, body.length);
    return same("v0=" + hmacHex(secret, base), header.trim()) ? Verdict.VALID : Verdict.WRONG;
  }

  /** HMAC-SHA256 of {@code data} under {@code secret}, in lower-case hex: what every signature here compares. */
  public static String hmacHex(byte[] secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }

  private static boolean same(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
