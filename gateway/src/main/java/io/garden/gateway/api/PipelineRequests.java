package io.garden.gateway.api;

import io.garden.gateway.intake.PipelineIds;
import io.garden.gateway.http.BodyErrors;
import io.garden.gateway.http.HttpProblem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.format.Json;
import io.garden.common.kafka.EventBudget;
import io.garden.common.model.ForceGuard;
import io.garden.common.model.Stage;
import io.garden.gateway.sources.SourcePolicy;
import io.garden.gateway.coordinator.PipelineStart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * Checks a pipeline request body before anything goes on Kafka: well-formed JSON, known steps, an allowed source,
 * targets that exist, a valid stage and options. Every refusal is a 400 that says what to change. Blocking (it
 * lists the repository to check targets): run it off the event loop.
 */
public final class PipelineRequests {

  /**
   * A request that passed every check, ready to send.
   *
   * @param chosen whether the body named its own pipelineId (else {@code id} was made)
   */
  public record Accepted(String id, PipelineRequested request, boolean chosen) {
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Listed targets per request: a longer list is a whole-repository run, or several requests. */
  public static final int MAX_TARGETS = 1_000;

  private final SourcePolicy policy;
  private final Clock clock;
  private final EventCodec codec = EventCodec.shared();

  public PipelineRequests(SourcePolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /** promote names what (options.name), from where (options.from, an earlier stage) and goes to the request's stage. */
  private static void promotion(PipelineOptions options, Stage to) {
    if (options.name() == null || options.name().isBlank()) {
      throw new HttpProblem(400, "invalid pipeline request: promote needs options.name, the published name");
    }
    Stage from;
    try {
      from = Stage.parse(options.from() == null ? "" : options.from());
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "invalid pipeline request: promote needs options.from, the stage it was tested on"
          + " (dev or stage)");
    }
    try {
      from.requirePromotableTo(to);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, e.getMessage());
    }
  }

  public Accepted check(byte[] body) {
    ObjectNode json = object(body);
    JsonNode given = json.remove("pipelineId");
    String id = id(given);
    PipelineRequested parsed;
    try {
      parsed = Json.requests().treeToValue(json, PipelineRequested.class);
    } catch (JsonMappingException e) {
      throw new HttpProblem(400, "invalid pipeline request: " + RequestErrors.describe(e));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new HttpProblem(400, "invalid pipeline request: " + rootMessage(e));
    }
    if (parsed.steps().isEmpty()) {
      throw new HttpProblem(400, "invalid pipeline request: 'steps' must name at least one step, or ci-pipeline");
    }
    if (parsed.targets().mode() == Targets.Mode.LIST && parsed.targets().ids().size() > MAX_TARGETS) {
      throw new HttpProblem(422, "invalid pipeline request: 'targets' lists " + parsed.targets().ids().size()
          + " extensions; a request may list at most " + MAX_TARGETS + ": use \"all\" or split it");
    }
    Stage stage = stage(parsed.stage());
    if (parsed.forcesPublish() && stage != Stage.DEV && !parsed.options().emergency()) {
      throw new HttpProblem(400, ForceGuard.message(stage.id()));
    }
    if (parsed.steps().contains(StepName.PROMOTE)) {
      promotion(parsed.options(), stage);
    }
    SourceRef source;
    try {
      source = policy.check(parsed.source());
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, e.getMessage());
    }
    if (source.isLocal()) {
      try {
        var ids = PipelineStart.extensions(Path.of(source.path()), parsed.targets(), new ArrayList<>());
        if (parsed.forcesPublish() && ids.size() != 1) {
          throw new HttpProblem(400, "Error: FORCE requires TYPE and NAME to specify which extension to force");
        }
      } catch (IllegalArgumentException e) {
        throw new HttpProblem(400, e.getMessage());
      }
    }
    PipelineRequested request = new PipelineRequested(source, parsed.steps(), parsed.targets(), stage.id(),
        parsed.options());
    int size = codec.mapper().valueToTree(request).toString().getBytes(StandardCharsets.UTF_8).length;
    if (size > EventBudget.MAX_EVENT_BYTES) {
      throw new HttpProblem(413, "the pipeline request is too large to carry (" + EventBudget.size(size)
          + "; at most " + EventBudget.size(EventBudget.MAX_EVENT_BYTES) + ")");
    }
    return new Accepted(id, request, given != null && !given.isNull());
  }

  private ObjectNode object(byte[] body) {
    if (body == null || body.length == 0) {
      throw new HttpProblem(400, "the request body is empty: send a JSON pipeline request");
    }
    JsonNode tree;
    try {
      tree = Json.requests().readTree(body);
    } catch (IOException e) {
      throw new HttpProblem(400, BodyErrors.describe(e));
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new HttpProblem(400, "the request body must be a JSON object");
    }
    return object;
  }

  private String id(JsonNode given) {
    if (given == null || given.isNull()) {
      return PipelineIds.next(clock);
    }
    if (!given.isTextual() || !ID.matcher(given.asText()).matches()) {
      throw new HttpProblem(400, "pipelineId must be 1–64 letters, digits, '.', '_' or '-', starting with a letter"
          + " or digit");
    }
    if (PipelineIds.reserved(given.asText())) {
      throw new HttpProblem(400, "pipelineId may not start with '" + PipelineIds.KEYED_PREFIX + "': those ids are"
          + " made from an Idempotency-Key header; send the key as that header instead");
    }
    return given.asText();
  }

  private static Stage stage(String value) {
    try {
      return Stage.parse(value);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

}
