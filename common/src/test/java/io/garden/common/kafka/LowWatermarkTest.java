package io.garden.common.kafka;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LowWatermarkTest {

  private final LowWatermark watermark = new LowWatermark();

  @Test
  @DisplayName("the first checkpoint says nothing: there is no earlier position to lag behind")
  void firstCheckpointIsEmpty() {
    assertThat(watermark.checkpoint(Map.of(0, 10L))).isEmpty();
  }

  @Test
  @DisplayName("with nothing open the restore point is where the reader was one checkpoint ago, not where it is")
  void lagsOneCheckpointBehind() {
    watermark.checkpoint(Map.of(0, 10L, 1, 4L));

    assertThat(watermark.checkpoint(Map.of(0, 25L, 1, 9L))).isEqualTo(Map.of(0, 10L, 1, 4L));
    assertThat(watermark.checkpoint(Map.of(0, 30L, 1, 9L))).isEqualTo(Map.of(0, 25L, 1, 9L));
  }

  @Test
  @DisplayName("an open pipeline holds its partition's restore point at its first event until it is closed")
  void openPipelineHoldsItsPartition() {
    watermark.checkpoint(Map.of(0, 10L, 1, 4L));
    watermark.opened("p-old", 0, 3);
    watermark.opened("p-old", 0, 8); // a later event of the same pipeline moves nothing
    watermark.opened("p-new", 1, 6);

    assertThat(watermark.checkpoint(Map.of(0, 40L, 1, 40L))).isEqualTo(Map.of(0, 3L, 1, 4L));

    watermark.closed("p-old");
    assertThat(watermark.checkpoint(Map.of(0, 50L, 1, 50L))).isEqualTo(Map.of(0, 40L, 1, 6L));
    assertThat(watermark.isOpen("p-new")).isTrue();
    assertThat(watermark.openCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("the restore point never passes an open pipeline, however far the reader has gone")
  void neverPassesAnOpenPipeline() {
    watermark.opened("p", 2, 7);
    watermark.checkpoint(Map.of(2, 100L));
    for (long end = 200; end < 1_000; end += 100) {
      assertThat(watermark.checkpoint(Map.of(2, end)).get(2)).isEqualTo(7L);
    }
  }
}
