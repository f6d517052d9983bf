package io.garden.common.kafka;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommitWatermarksTest {

  @Test
  @DisplayName("records finished in order commit past the last one")
  void inOrder() {
    CommitWatermarks marks = new CommitWatermarks();
    marks.started(0, 10);
    marks.started(0, 11);
    marks.finished(0, 10);
    marks.finished(0, 11);

    assertThat(marks.advance()).isEqualTo(Map.of(0, 12L));
  }

  @Test
  @DisplayName("a record still in progress holds the commit below it, however many after it are done")
  void oldestInProgressHoldsTheWatermark() {
    CommitWatermarks marks = new CommitWatermarks();
    marks.started(0, 10);
    marks.started(0, 11);
    marks.started(0, 12);
    marks.finished(0, 11);
    marks.finished(0, 12);

    assertThat(marks.advance()).isEqualTo(Map.of(0, 10L));
    marks.finished(0, 10);
    assertThat(marks.advance()).isEqualTo(Map.of(0, 13L));
  }

  @Test
  @DisplayName("nothing moved, nothing to commit; partitions are independent")
  void onlyWhatMoved() {
    CommitWatermarks marks = new CommitWatermarks();
    marks.started(0, 5);
    marks.finished(0, 5);
    marks.started(1, 7);
    assertThat(marks.advance()).isEqualTo(Map.of(0, 6L, 1, 7L));

    assertThat(marks.advance()).isEmpty();
    marks.finished(1, 7);
    assertThat(marks.advance()).isEqualTo(Map.of(1, 8L));
  }

  @Test
  @DisplayName("a revoked partition is forgotten")
  void revokedIsForgotten() {
    CommitWatermarks marks = new CommitWatermarks();
    marks.started(2, 1);
    marks.revoked(2);
    assertThat(marks.advance()).isEmpty();
  }
}
