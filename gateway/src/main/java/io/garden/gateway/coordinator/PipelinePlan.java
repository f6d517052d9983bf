package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.StepName;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a pipeline request runs: its steps expanded ({@code ci-pipeline} into the old {@code make ci-pipeline}
 * order), put in that order, and the image steps dropped with a note when no container engine answers and the
 * request did not name them itself.
 *
 * @param steps   the steps to run, in order
 * @param skipped steps the request implied that will not run, each with why (in run order)
 * @param notes   one line per decision worth telling the user (what was skipped and why)
 */
public record PipelinePlan(List<StepName> steps, Map<StepName, String> skipped, List<String> notes) {

  /**
   * The order steps run in, whatever order a request lists them: each one's input is the previous one's output. A push
   * comes after validation and before the registry is built and packaged: the index and the offline package then pin
   * the digests the push put in the image registry, and equal what is published.
   */
  static final List<StepName> ORDER = List.of(StepName.BUILD, StepName.TEST, StepName.SYNC_COMPOSE, StepName.CHECK,
      StepName.VALIDATE, StepName.PUSH, StepName.BUILD_REGISTRY, StepName.PACKAGE_REGISTRY, StepName.PUBLISH_REGISTRY,
      StepName.DOWNLOAD_REGISTRY, StepName.UNPUBLISH, StepName.RESTORE_REGISTRY, StepName.REMOVE_PUBLISH_LOCK,
      StepName.PROMOTE);

  /** {@code ci-pipeline}: build-all → test-all → sync-compose → validate → build-registry → package-registry. */
  static final List<StepName> CI_PIPELINE = List.of(StepName.BUILD, StepName.TEST, StepName.SYNC_COMPOSE,
      StepName.VALIDATE, StepName.BUILD_REGISTRY, StepName.PACKAGE_REGISTRY);

  public PipelinePlan {
    steps = List.copyOf(steps);
    skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    notes = List.copyOf(notes);
  }

  /**
   * @param engine the container engine's state: null when it answers, else why not ("no container engine at ...")
   * @throws PlanRefusedException when nothing can run: no steps, or image steps named explicitly without an engine
   */
  public static PipelinePlan of(List<StepName> requested, PipelineOptions options, String engine) {
    if (requested.isEmpty()) {
      throw new PlanRefusedException("no steps: name steps (" + stepList() + ") or ci-pipeline");
    }
    Set<StepName> explicit = EnumSet.noneOf(StepName.class);
    Set<StepName> wanted = EnumSet.noneOf(StepName.class);
    for (StepName step : requested) {
      if (step == StepName.CI_PIPELINE) {
        wanted.addAll(CI_PIPELINE);
        if (options.push()) {
          wanted.add(StepName.PUSH);
        }
        if (options.publish()) {
          wanted.add(StepName.PUBLISH_REGISTRY);
        }
      } else {
        explicit.add(step);
        wanted.add(step);
      }
    }
    List<String> notes = new ArrayList<>();
    Map<StepName, String> skippedSteps = new LinkedHashMap<>();
    if (engine != null) {
      List<StepName> namedImageSteps = explicit.stream().filter(StepName::needsEngine).toList();
      if (!namedImageSteps.isEmpty()) {
        throw new PlanRefusedException(join(namedImageSteps) + " cannot run: " + engine);
      }
      List<StepName> skipped = wanted.stream().filter(StepName::needsEngine).toList();
      if (!skipped.isEmpty()) {
        wanted.removeAll(skipped);
        ORDER.stream().filter(skipped::contains).forEach(step -> skippedSteps.put(step, engine));
        notes.add(join(skipped) + " skipped: " + engine);
      }
    }
    if (wanted.contains(StepName.PUBLISH_REGISTRY) && options.push() && !wanted.contains(StepName.PUSH)) {
      // Publishing without the push it asked for would pin images that were never pushed.
      throw new PlanRefusedException("publish-registry was asked after push, and push cannot run: " + engine);
    }
    return new PipelinePlan(ORDER.stream().filter(wanted::contains).toList(), skippedSteps, notes);
  }

  private static String join(List<StepName> steps) {
    return steps.stream().map(StepName::wire).collect(Collectors.joining(", "));
  }

  static String stepList() {
    return join(ORDER);
  }
}
