package io.garden.gateway.coordinator;

import io.garden.common.event.StepName;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of the request a pipeline sends for a step and target: the same every time it is computed, so a request
 * sent again after a coordinator restart is the same request, and the worker results of both answer it once.
 */
public final class RequestIds {

  private RequestIds() {
  }

  public static String of(String pipelineId, StepName step, String target) {
    return UUID.nameUUIDFromBytes((pipelineId + "\n" + step.wire() + "\n" + target)
        .getBytes(StandardCharsets.UTF_8)).toString();
  }
}
