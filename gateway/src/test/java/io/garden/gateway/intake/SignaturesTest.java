package io.garden.gateway.intake;

import io.garden.gateway.intake.Signatures.Verdict;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // GitHub's documented example ("Validating webhook deliveries"): secret, payload and the signature it gives.
  private static final byte[] GITHUB_SECRET = utf8("It's a Secret to Everybody");
  private static final byte[] GITHUB_BODY = utf8("Hello, World!");
  private static final String GITHUB_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  // Slack's documented example ("Verifying requests from Slack").
  private static final byte[] SLACK_SECRET = utf8("8f742231b10e8888abcd99yyyzzz85a5");
  private static final String SLACK_TIMESTAMP = "1531420618";
  private static final byte[] SLACK_BODY = utf8("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
      + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
  private static final String SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final Instant SLACK_NOW = Instant.ofEpochSecond(1531420618 + 60);

  @Test
  @DisplayName("GitHub's documented test vector verifies")
  void githubDocumentedVector() {
    assertThat(Signatures.github(GITHUB_SECRET, GITHUB_BODY, GITHUB_SIGNATURE)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a GitHub signature over another body, with another secret, or missing is refused")
  void githubRefusals() {
    assertThat(Signatures.github(GITHUB_SECRET, utf8("Hello, World?"), GITHUB_SIGNATURE)).isEqualTo(Verdict.WRONG);
    assertThat(Signatures.github(utf8("another"), GITHUB_BODY, GITHUB_SIGNATURE)).isEqualTo(Verdict.WRONG);
    assertThat(Signatures.github(GITHUB_SECRET, GITHUB_BODY, "sha1=757107ea")).isEqualTo(Verdict.WRONG);
    assertThat(Signatures.github(GITHUB_SECRET, GITHUB_BODY, null)).isEqualTo(Verdict.MISSING);
  }

  @Test
  @DisplayName("Slack's documented test vector verifies within five minutes of its timestamp")
  void slackDocumentedVector() {
    assertThat(Signatures.slack(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY, SLACK_SIGNATURE, SLACK_NOW))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a Slack request older than five minutes is stale even when its signature is right")
  void slackStale() {
    Instant later = Instant.ofEpochSecond(1531420618 + 301);
    assertThat(Signatures.slack(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY, SLACK_SIGNATURE, later))
        .isEqualTo(Verdict.STALE);
  }

  @Test
  @DisplayName("a Slack signature for another timestamp or body, or a missing header, is refused")
  void slackRefusals() {
    assertThat(Signatures.slack(SLACK_SECRET, "1531420619", SLACK_BODY, SLACK_SIGNATURE, SLACK_NOW))
        .isEqualTo(Verdict.WRONG);
    assertThat(Signatures.slack(SLACK_SECRET, SLACK_TIMESTAMP, utf8("text=publish"), SLACK_SIGNATURE, SLACK_NOW))
        .isEqualTo(Verdict.WRONG);
    assertThat(Signatures.slack(SLACK_SECRET, "soon", SLACK_BODY, SLACK_SIGNATURE, SLACK_NOW))
        .isEqualTo(Verdict.WRONG);
    assertThat(Signatures.slack(SLACK_SECRET, null, SLACK_BODY, SLACK_SIGNATURE, SLACK_NOW))
        .isEqualTo(Verdict.MISSING);
  }

  @Test
  @DisplayName("a GitLab token must match exactly")
  void gitlabToken() {
    assertThat(Signatures.gitlab(utf8("s3cret"), "s3cret")).isEqualTo(Verdict.VALID);
    assertThat(Signatures.gitlab(utf8("s3cret"), "s3cret ")).isEqualTo(Verdict.WRONG);
    assertThat(Signatures.gitlab(utf8("s3cret"), null)).isEqualTo(Verdict.MISSING);
  }
}
