package io.garden.common.service;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaProbeTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("readiness answers from the last check, and says so when the check stops answering")
  void answersFromTheLastLook() {
    AtomicReference<List<String>> verdict = new AtomicReference<>(List.of("topic garden.events is missing"));
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicReference<Boolean> hang = new AtomicReference<>(false);
    KafkaProbe probe = KafkaProbe.start(vertx, () -> {
      if (hang.get()) {
        try {
          stuck.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return verdict.get();
    });
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.problems().equals(List.of(
          "topic garden.events is missing")));
      verdict.set(List.of());
      await().atMost(Duration.ofSeconds(5)).until(() -> probe.problems().isEmpty());

      hang.set(true);
      // The check hangs (Kafka gone): the answer does not wait for it, and turns into the reason.
      await().atMost(Duration.ofSeconds(10)).until(() -> !probe.problems().isEmpty());
      assertThat(probe.problems()).singleElement().asString().startsWith("Kafka has not answered for");
    } finally {
      stuck.countDown();
      probe.close();
    }
  }
}
