package io.garden.common.worker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InOrderTest {

  @Test
  @DisplayName("a hundred thousand pieces queued behind a slow one all run, in order, without a deep stack")
  void longQueueBehindASlowPiece() {
    InOrder inOrder = new InOrder();
    Promise<Void> slow = Promise.promise();
    inOrder.submit(slow::future);
    List<Integer> ran = new ArrayList<>();
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int n = i;
      // Each piece completes at once and has a listener, as the coordinator's and the event stream's do.
      done.add(inOrder.submit(() -> {
        ran.add(n);
        return Future.succeededFuture();
      }).map(v -> null));
    }
    assertThat(inOrder.pending()).isEqualTo(100_000);

    slow.complete();

    assertThat(ran).hasSize(100_000).isSorted();
    assertThat(done).allMatch(Future::succeeded);
    assertThat(inOrder.idle().succeeded()).isTrue();
  }

  @Test
  @DisplayName("the same depth through a compose chain overflows the stack: the mechanism InOrder replaces")
  void composeChainOfTheSameDepthOverflows() {
    Promise<Void> slow = Promise.promise();
    Future<Void> tail = slow.future();
    for (int i = 0; i < 100_000; i++) {
      tail = tail.transform(ignored -> Future.succeededFuture());
    }
    Throwable overflow = null;
    try {
      slow.complete();
    } catch (StackOverflowError e) {
      overflow = e;
    }
    assertThat(overflow != null || tail.failed()).as("completion ran down the chain in one stack").isTrue();
  }

  @Test
  @DisplayName("one piece at a time: the next starts only when the one before has completed")
  void oneAtATime() {
    InOrder inOrder = new InOrder();
    Promise<Void> first = Promise.promise();
    List<String> started = new ArrayList<>();
    inOrder.submit(() -> {
      started.add("first");
      return first.future();
    });
    inOrder.submit(() -> {
      started.add("second");
      return Future.succeededFuture();
    });

    assertThat(started).containsExactly("first");
    first.complete();
    assertThat(started).containsExactly("first", "second");
  }

  @Test
  @DisplayName("a piece that throws or fails fails its own future; the next one still runs")
  void failureStaysWithItsPiece() {
    InOrder inOrder = new InOrder();
    Future<Void> thrown = inOrder.submit(() -> {
      throw new IllegalStateException("boom");
    });
    Future<Void> failed = inOrder.submit(() -> Future.failedFuture("no"));
    List<String> after = new ArrayList<>();
    Future<Void> next = inOrder.submit(() -> {
      after.add("ran");
      return Future.succeededFuture();
    });

    assertThat(thrown.cause()).hasMessage("boom");
    assertThat(failed.failed()).isTrue();
    assertThat(next.succeeded()).isTrue();
    assertThat(after).containsExactly("ran");
  }

  @Test
  @DisplayName("work submitted while a piece completes runs after the pieces already queued")
  void reentrantSubmitKeepsOrder() {
    InOrder inOrder = new InOrder();
    Promise<Void> slow = Promise.promise();
    List<String> ran = new ArrayList<>();
    inOrder.submit(slow::future).onComplete(v -> inOrder.submit(() -> {
      ran.add("from a listener");
      return Future.succeededFuture();
    }));
    inOrder.submit(() -> {
      ran.add("queued before");
      return Future.succeededFuture();
    });

    slow.complete();

    assertThat(ran).containsExactly("queued before", "from a listener");
  }
}
