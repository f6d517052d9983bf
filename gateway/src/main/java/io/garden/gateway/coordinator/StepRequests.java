package io.garden.gateway.coordinator;

import io.garden.common.event.BuildRequested;
import io.garden.common.event.BuildStep;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.PublishAction;
import io.garden.common.event.PublishRequested;
import io.garden.common.event.RegistryAction;
import io.garden.common.event.RegistryRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.ValidateRequested;
import io.garden.common.event.ValidateStep;
import io.garden.common.kafka.Topics;
import io.garden.common.platform.Platform;

import java.util.List;
import java.util.Map;

/** The worker request that runs one step of a pipeline for one target: which topic, which key, which payload. */
public final class StepRequests {

  /** A request ready to send. */
  public record Outgoing(String topic, String key, EventPayload payload) {
  }

  private StepRequests() {
  }

  /**
   * As {@link #of(String, PipelineStarted, SourceRef, StepName, String)}, for a write to a protected stage too: its
   * {@code plan-N} unit is the write's dry run, its {@code apply-N} unit the write held to {@code approvedPlan}.
   */
  public static Outgoing of(String pipelineId, PipelineStarted plan, SourceRef source, StepName step, String target,
                            String approvedPlan) {
    Outgoing out = of(pipelineId, plan, source, step, target);
    if (!(out.payload() instanceof PublishRequested request)) {
      return out;
    }
    if (target.startsWith(ApprovalGate.PLAN)) {
      return new Outgoing(out.topic(), out.key(), request.asDryRun());
    }
    return approvedPlan == null ? out : new Outgoing(out.topic(), out.key(), request.holdingTo(approvedPlan));
  }

  /**
   * @param source the source the workers read (a local folder, or the git source they check out themselves)
   * @param target an extension id for per-extension steps, {@code *} otherwise
   */
  public static Outgoing of(String pipelineId, PipelineStarted plan, SourceRef source, StepName step, String target) {
    PipelineOptions options = plan.options();
    Targets extensions = plan.targets();
    String stage = plan.stage();
    return switch (step) {
      case BUILD -> build(source, target, BuildStep.BUILD, stage, options);
      case TEST -> build(source, target, BuildStep.TEST, stage, options);
      case PUSH -> push(source, target, stage, options, plan.platforms(), plan.steps().contains(StepName.TEST));
      case SYNC_COMPOSE -> validate(pipelineId, source, extensions, ValidateStep.SYNC_COMPOSE);
      case CHECK -> validate(pipelineId, source, extensions, ValidateStep.CHECK);
      case VALIDATE -> validate(pipelineId, source, extensions, ValidateStep.VALIDATE);
      case BUILD_REGISTRY -> registry(pipelineId, source, stage, RegistryAction.BUILD);
      case PACKAGE_REGISTRY -> registry(pipelineId, source, stage, RegistryAction.PACKAGE);
      case DOWNLOAD_REGISTRY -> registry(pipelineId, source, stage, RegistryAction.DOWNLOAD);
      // A dry run rehearses the publish it stands for: one listed extension (a chat command's), or the whole registry.
      // A plan's dry runs are one per stage: the target names it.
      case PUBLISH_REGISTRY -> options.dryRun() ? new Outgoing(Topics.REGISTRY_REQUESTS, pipelineId,
          new RegistryRequested(source, target.equals("*") ? stage : target, "v2", RegistryAction.DRY_RUN,
              options.force() ? null : onlyOne(plan)))
          : publish(source, stage, options.force() ? PublishAction.FORCE : PublishAction.PUBLISH,
              options.force() ? single(plan.extensions()) : onlyOne(plan), null, null, options);
      case UNPUBLISH -> publish(source, stage, PublishAction.UNPUBLISH, null, options.name(), null, options);
      case RESTORE_REGISTRY -> publish(source, stage, PublishAction.RESTORE, null, null, options.backup(), options);
      case REMOVE_PUBLISH_LOCK -> publish(source, stage, options.force() ? PublishAction.FORCE_REMOVE_LOCK
          : PublishAction.REMOVE_LOCK, null, null, null, options);
      case PROMOTE -> new Outgoing(Topics.REGISTRY_PUBLISH, stage, new PublishRequested(source, stage, "v2",
          PublishAction.PROMOTE, null, options.name(), null, null, null, options.dryRun(), options.from(),
          options.version()));
      case CI_PIPELINE -> throw new IllegalStateException("ci-pipeline is expanded before it runs");
    };
  }

  private static Outgoing build(SourceRef source, String extension, BuildStep step, String stage,
                                PipelineOptions options) {
    // Keyed by extension: one extension's builds stay in order on one partition.
    return new Outgoing(Topics.BUILD_REQUESTS, extension, new BuildRequested(source, extension, List.of(step), stage,
        options.noCache(), Map.of(), null, options.dryRun()));
  }

  /**
   * One unit of a push: a platform's on that platform's topic (only workers that build it consume it), an
   * extension's index on the build requests every build worker takes.
   */
  private static Outgoing push(SourceRef source, String target, String stage, PipelineOptions options,
                               List<String> platforms, boolean tests) {
    if (platforms.isEmpty()) {
      return build(source, target, BuildStep.PUSH, stage, options);
    }
    String extension = PushUnits.extensionOf(target);
    String platform = PushUnits.platformOf(target).orElse(null);
    String topic = platform == null ? Topics.BUILD_REQUESTS : Topics.platformBuild(Platform.parse(platform));
    // A pipeline that tests smoke-tests each platform's images before they are pushed: the ones customers get.
    List<BuildStep> steps = tests && platform != null ? List.of(BuildStep.PUSH, BuildStep.TEST)
        : List.of(BuildStep.PUSH);
    return new Outgoing(topic, extension, new BuildRequested(source, extension, steps, stage, options.noCache(),
        Map.of(), null, options.dryRun(), platforms, platform));
  }

  private static Outgoing validate(String pipelineId, SourceRef source, Targets targets, ValidateStep step) {
    return new Outgoing(Topics.VALIDATE_REQUESTS, pipelineId, new ValidateRequested(source, targets, List.of(step)));
  }

  private static Outgoing registry(String pipelineId, SourceRef source, String stage, RegistryAction action) {
    return new Outgoing(Topics.REGISTRY_REQUESTS, pipelineId, new RegistryRequested(source, stage, "v2", action));
  }

  /**
   * The dry-run switch travels with every request that could change a stage: the gateway authorised a dry run as one
   * only because the worker honours it.
   */
  private static Outgoing publish(SourceRef source, String stage, PublishAction action, String extension, String name,
                                  String backup, PipelineOptions options) {
    // options.version: unpublish's one version; null (every version) unless a request names one.
    return new Outgoing(Topics.REGISTRY_PUBLISH, stage, new PublishRequested(source, stage, "v2", action, extension,
        name, backup, null, options.emergency(), options.dryRun(), null, options.version()));
  }

  /** A publish asked for one listed extension publishes that one only; otherwise the whole registry. */
  private static String onlyOne(PipelineStarted plan) {
    return plan.targets().mode() == Targets.Mode.LIST && plan.extensions().size() == 1 ? plan.extensions().get(0)
        : null;
  }

  private static String single(List<String> extensions) {
    if (extensions.size() != 1) {
      throw new PlanRefusedException("Error: FORCE requires TYPE and NAME to specify which extension to force");
    }
    return extensions.get(0);
  }
}
