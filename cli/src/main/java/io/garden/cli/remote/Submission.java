package io.garden.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;

import java.nio.file.Path;
import java.util.List;

/** A pipeline request as the CLI sends it: the repository folder, the steps, the extensions, the stage. */
public record Submission(Path repo, List<StepName> steps, Targets targets, String stage, PipelineOptions options) {

  public JsonNode json() {
    ObjectNode json = (ObjectNode) EventCodec.shared().mapper().valueToTree(new PipelineRequested(
        SourceRef.local(repo.toAbsolutePath().normalize().toString()), steps, targets, stage, options));
    return json;
  }
}
