package io.garden.gateway.views;

import io.vertx.core.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetWaitersTest {

  private final OffsetWaiters waiters = new OffsetWaiters();

  @Test
  @DisplayName("an offset the reader is already past is seen at once")
  void alreadyPast() {
    assertThat(waiters.await(0, 4, 5L).succeeded()).isTrue();
  }

  @Test
  @DisplayName("a waiter goes when the reader reaches its offset, not before, and not for another partition")
  void waitsForItsOffset() {
    Future<Void> five = waiters.await(0, 5, 3L);
    Future<Void> first = waiters.await(1, 0, null);

    waiters.reached(0, 4);
    waiters.reached(2, 9);
    assertThat(five.isComplete()).isFalse();
    assertThat(first.isComplete()).isFalse();

    waiters.reached(0, 5);
    waiters.reached(1, 0);
    assertThat(five.succeeded()).isTrue();
    assertThat(first.succeeded()).isTrue();
  }

  @Test
  @DisplayName("reaching a later offset releases every earlier waiter")
  void laterOffsetReleasesEarlier() {
    Future<Void> two = waiters.await(0, 2, null);
    Future<Void> three = waiters.await(0, 3, null);
    Future<Void> nine = waiters.await(0, 9, null);

    waiters.reached(0, 7);

    assertThat(two.succeeded()).isTrue();
    assertThat(three.succeeded()).isTrue();
    assertThat(nine.isComplete()).isFalse();
  }

  @Test
  @DisplayName("stopping fails whoever is still waiting, with the reason")
  void stopFailsWaiters() {
    Future<Void> waiting = waiters.await(0, 1, null);
    waiters.failAll("the gateway is stopping");
    assertThat(waiting.failed()).isTrue();
    assertThat(waiting.cause()).hasMessage("the gateway is stopping");
  }
}
