package io.garden.common.event;

import org.slf4j.MDC;

/**
 * Puts a pipeline's id and trace id on the log lines written about it ({@code pipelineId}, {@code traceId} in the
 * logging context: fields of each JSON line, and a {@code [p-…]} prefix in text). Set around one log call, not held:
 * an event loop serves many pipelines at once, so a value left on its thread would be wrong for the next line.
 */
public final class PipelineLog {

  private PipelineLog() {
  }

  public static void about(Envelope event, Runnable log) {
    about(event == null ? null : event.pipelineId(), event == null ? null : event.traceId(), log);
  }

  public static void about(String pipelineId, String traceId, Runnable log) {
    if (pipelineId != null) {
      MDC.put("pipelineId", pipelineId);
    }
    if (traceId != null) {
      MDC.put("traceId", traceId);
    }
    try {
      log.run();
    } finally {
      MDC.remove("pipelineId");
      MDC.remove("traceId");
    }
  }
}
