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

  public static String next(Clock clock) {
    return "p-" + STAMP.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
