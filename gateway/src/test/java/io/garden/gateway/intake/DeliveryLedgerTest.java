package io.garden.gateway.intake;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryLedgerTest {

  private final Instant now = Instant.parse("2026-11-30T12:00:00Z");
  private final DeliveryLedger ledger = new DeliveryLedger(Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));

  @Test
  @DisplayName("a delivery is found by any of its keys within the window, and not after it")
  void keysWithinTheWindow() {
    ledger.record(List.of("github:delivery:1", "github:body:aa"), "p-1", now.minusSeconds(60));
    ledger.record(List.of("github:delivery:2"), "p-2", now.minus(Duration.ofHours(2)));

    assertThat(ledger.find(List.of("github:delivery:9", "github:body:aa"))).contains("p-1");
    assertThat(ledger.find(List.of("github:delivery:2"))).isEmpty();
  }

  @Test
  @DisplayName("a delivery whose pipeline could not be sent is forgotten, so a retry can start one")
  void forget() {
    ledger.record(List.of("k"), "p-1", now);
    ledger.forget(List.of("k"), "p-1");
    assertThat(ledger.find(List.of("k"))).isEmpty();
  }

  @Test
  @DisplayName("the newest pipeline of a ref replaces the previous one, which is returned to be superseded")
  void newestPerRef() {
    assertThat(ledger.newest("github:o/r:refs/heads/main", "p-1", null)).isEmpty();
    assertThat(ledger.newest("github:o/r:refs/heads/main", "p-2", null)).contains("p-1");
    assertThat(ledger.newest("github:o/r:refs/heads/other", "p-3", null)).isEmpty();
  }

  @Test
  @DisplayName("an older change arriving late (a replayed delivery) supersedes nothing and stays behind the newer")
  void olderChangeNeverSupersedes() {
    String ref = "github:o/r:refs/heads/main";
    assertThat(ledger.newest(ref, "p-new", now)).isEmpty();
    assertThat(ledger.newest(ref, "p-replayed", now.minusSeconds(3600))).isEmpty();
    assertThat(ledger.newest(ref, "p-newer", now.plusSeconds(1))).as("the newer run is still the one replaced")
        .contains("p-new");
  }

  @Test
  @DisplayName("a change dated before the window is too old to run; an undated one is not")
  void tooOld() {
    assertThat(ledger.tooOld(now.minus(ledger.window()).minusSeconds(1))).isTrue();
    assertThat(ledger.tooOld(now.minusSeconds(60))).isFalse();
    assertThat(ledger.tooOld(null)).isFalse();
  }

  @Test
  @DisplayName("memory is bounded by count too: beyond the limit the oldest keys are forgotten first")
  void boundedByCount() {
    for (int i = 0; i <= DeliveryLedger.MAX_KEYS; i++) {
      ledger.record(List.of("k" + i), "p-" + i, now);
    }
    assertThat(ledger.size()).isEqualTo(DeliveryLedger.MAX_KEYS);
    assertThat(ledger.find(List.of("k0"))).isEmpty();
    assertThat(ledger.find(List.of("k" + DeliveryLedger.MAX_KEYS))).contains("p-" + DeliveryLedger.MAX_KEYS);
  }
}
