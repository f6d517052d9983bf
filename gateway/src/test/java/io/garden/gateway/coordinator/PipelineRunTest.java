package io.garden.gateway.coordinator;

import io.garden.common.event.CancelRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.RegistryPackaged;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.event.Targets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.garden.common.event.StepName.BUILD;
import static io.garden.common.event.StepName.PACKAGE_REGISTRY;
import static io.garden.common.event.StepName.PUBLISH_REGISTRY;
import static io.garden.common.event.StepName.VALIDATE;
import static org.assertj.core.api.Assertions.assertThat;

class PipelineRunTest {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final List<String> EXTENSIONS = List.of("apps/a", "apps/b", "tools/tool-c");

  private final PipelineRun run = new PipelineRun("p-1");

  private void start(StepName... steps) {
    apply(new PipelineStarted(SourceRef.local("/repo"), List.of(steps), Targets.all(), EXTENSIONS, "dev",
        PipelineOptions.defaults(), List.of()), null);
  }

  private Envelope apply(EventPayload payload, String causationId) {
    Envelope e = CODEC.envelope(payload, new EventContext("p-1", "c", "alice", "test@here", causationId));
    run.apply(e, payload);
    return e;
  }

  /** Records what the coordinator would send, as it does: dispatched at once, step.started on the stream later. */
  private List<Decision.Dispatch> dispatchAll(int parallel) {
    List<Decision.Dispatch> sent = run.next(parallel).stream().map(d -> (Decision.Dispatch) d).toList();
    sent.forEach(d -> run.dispatched(d, Instant.now()));
    return sent;
  }

  private void finish(Decision.Dispatch d) {
    apply(new StepFinished(d.step(), d.target(), 5, d.target() + " ok"), d.requestId());
  }

  private void startPush(List<String> extensions, List<String> platforms) {
    apply(new PipelineStarted(SourceRef.local("/repo"), List.of(StepName.PUSH), Targets.all(), extensions, "dev",
        PipelineOptions.defaults(), List.of(), null, platforms), null);
  }

  @Test
  @DisplayName("a pull request's plan rehearses the publish once per plan stage, each dry run asking for its stage")
  void aPlanDryRunsEachStage() {
    PipelineStarted plan = new PipelineStarted(SourceRef.local("/repo"), List.of(PUBLISH_REGISTRY), Targets.all(),
        EXTENSIONS, "dev", PipelineOptions.plan(List.of("dev", "prod")), List.of());
    apply(plan, null);
    List<Decision.Dispatch> dryRuns = dispatchAll(4);
    assertThat(dryRuns).extracting(Decision.Dispatch::target).containsExactly("dev", "prod");
    assertThat(dryRuns).extracting(d -> ((io.garden.common.event.RegistryRequested) StepRequests.of("p-1", plan,
        plan.source(), d.step(), d.target()).payload()).stage()).containsExactly("dev", "prod");
    dryRuns.forEach(this::finish);
    assertThat(run.next(4)).containsExactly(new Decision.Finish(PipelineFinished.State.SUCCEEDED, null));
  }

  @Test
  @DisplayName("a push over platforms runs one unit per extension and platform, then each extension's index once"
      + " all its platforms succeeded")
  void pushRunsPlatformUnitsThenTheIndex() {
    startPush(List.of("apps/a", "apps/b"), List.of("linux/amd64", "linux/arm64"));

    List<Decision.Dispatch> platforms = dispatchAll(8);
    assertThat(platforms).extracting(Decision.Dispatch::target).containsExactly("apps/a@linux/amd64",
        "apps/a@linux/arm64", "apps/b@linux/amd64", "apps/b@linux/arm64");
    finish(platforms.get(0));
    finish(platforms.get(2));
    finish(platforms.get(3));
    List<Decision.Dispatch> indexB = dispatchAll(8);
    assertThat(indexB).extracting(Decision.Dispatch::target).as("apps/a still waits for arm64")
        .containsExactly("apps/b");

    finish(platforms.get(1));
    List<Decision.Dispatch> indexA = dispatchAll(8);
    assertThat(indexA).extracting(Decision.Dispatch::target).containsExactly("apps/a");
    finish(indexB.get(0));
    finish(indexA.get(0));
    assertThat(run.next(8)).singleElement().isInstanceOfSatisfying(Decision.Finish.class,
        f -> assertThat(f.state()).isEqualTo(PipelineFinished.State.SUCCEEDED));
  }

  @Test
  @DisplayName("a platform that fails to push fails the pipeline, and its extension's index is never asked for")
  void failedPlatformLeavesNoIndex() {
    startPush(List.of("apps/a"), List.of("linux/amd64", "linux/arm64"));
    List<Decision.Dispatch> platforms = dispatchAll(8);
    finish(platforms.get(0));
    apply(new StepFailed(StepName.PUSH, "apps/a", "apps/a: arm64 build failed", FailureKind.FINDINGS),
        platforms.get(1).requestId());

    assertThat(run.next(8)).singleElement().isInstanceOfSatisfying(Decision.Finish.class, f -> {
      assertThat(f.state()).isEqualTo(PipelineFinished.State.FAILED);
      assertThat(f.reason()).contains("arm64 build failed");
    });
    assertThat(run.units()).extracting(PipelineRun.Unit::target).doesNotContain("apps/a");
  }

  @Test
  @DisplayName("a unit stopped by a cancel is cancelled, not failed, and the pipeline ends cancelled")
  void aCancelledUnitIsNoFailure() {
    start(BUILD);
    List<Decision.Dispatch> builds = dispatchAll(1);
    apply(new CancelRequested("enough"), null);
    apply(new StepFailed(BUILD, "apps/a", "apps/a: cancelled", FailureKind.CANCELLED), builds.get(0).requestId());

    assertThat(run.units()).singleElement().extracting(PipelineRun.Unit::state)
        .isEqualTo(PipelineRun.UnitState.CANCELLED);
    assertThat(run.next(4)).singleElement().isInstanceOfSatisfying(Decision.Finish.class,
        f -> assertThat(f.state()).isEqualTo(PipelineFinished.State.CANCELLED));
  }

  @Test
  @DisplayName("a push without platforms (a pipeline started before they were planned) is one unit per extension")
  void pushWithoutPlatformsIsOneUnitPerExtension() {
    startPush(List.of("apps/a", "apps/b"), List.of());

    assertThat(dispatchAll(8)).extracting(Decision.Dispatch::target).containsExactly("apps/a", "apps/b");
  }

  @Test
  @DisplayName("a per-extension step fans out to at most the parallel limit, and the next unit goes when one ends")
  void fanOutIsBounded() {
    start(BUILD, VALIDATE);

    List<Decision.Dispatch> first = dispatchAll(2);
    assertThat(first).extracting(Decision.Dispatch::target).containsExactly("apps/a", "apps/b");
    assertThat(run.next(2)).as("both slots busy").isEmpty();

    finish(first.get(0));
    assertThat(dispatchAll(2)).extracting(Decision.Dispatch::target).containsExactly("tools/tool-c");
  }

  @Test
  @DisplayName("the next step starts only when every unit of the current one succeeded, and the last ends the run")
  void stepsRunInOrderToSuccess() {
    start(BUILD, VALIDATE);
    dispatchAll(5).forEach(this::finish);

    List<Decision.Dispatch> validate = dispatchAll(5);
    assertThat(validate).singleElement().satisfies(d -> {
      assertThat(d.step()).isEqualTo(VALIDATE);
      assertThat(d.target()).isEqualTo("*");
    });
    finish(validate.get(0));

    assertThat(run.next(5)).containsExactly(new Decision.Finish(PipelineFinished.State.SUCCEEDED, null));
  }

  @Test
  @DisplayName("a unit's findings and a failed build's last lines are kept with the unit, errors first, bounded")
  void annotationsExplainTheUnit() {
    start(BUILD, VALIDATE);
    List<Decision.Dispatch> builds = dispatchAll(5);
    apply(new io.garden.common.event.BuildFinished("apps/b", false, List.of(), "STEP 3/3", List.of("npm ERR! x",
        "exit 1"), 10), builds.get(1).requestId());
    List<io.garden.common.model.Finding> many = new java.util.ArrayList<>();
    many.add(io.garden.common.model.Finding.warning("compose.latest", "apps/a", "docker-compose.yml", "uses latest"));
    for (int i = 1; i <= PipelineRun.MAX_ANNOTATIONS + 5; i++) {
      many.add(io.garden.common.model.Finding.error("kamiwaza.version", "apps/a", "kamiwaza.json", "bad " + i)
          .locatedAt(i, 3));
    }
    apply(new io.garden.common.event.ValidateFinished(false, 1, many.size() - 1, 1, List.of(
        new io.garden.common.event.ExtensionFindings("apps/a", false, null, many))), builds.get(0).requestId());

    PipelineRun.Unit b = run.units().stream().filter(u -> u.target().equals("apps/b")).findFirst().orElseThrow();
    PipelineRun.Unit a = run.units().stream().filter(u -> u.target().equals("apps/a")).findFirst().orElseThrow();
    assertThat(run.annotations(b)).singleElement().satisfies(x -> {
      assertThat(x.message()).isEqualTo("build failed at STEP 3/3");
      assertThat(x.log()).containsExactly("npm ERR! x", "exit 1");
    });
    assertThat(run.annotations(a)).hasSize(PipelineRun.MAX_ANNOTATIONS)
        .allMatch(x -> x.level().equals("error"));
    assertThat(run.annotations(a).get(0).location()).isEqualTo("apps/a/kamiwaza.json:1:3");
    assertThat(run.annotations(a).get(0).rule()).isEqualTo("kamiwaza.version");
  }

  @Test
  @DisplayName("the first failed unit fails the pipeline with the step and the worker's reason")
  void firstFailureStops() {
    start(BUILD, VALIDATE);
    List<Decision.Dispatch> builds = dispatchAll(5);
    apply(new StepFailed(BUILD, "apps/b", "apps/b: build failed at STEP 3/3", FailureKind.FINDINGS),
        builds.get(1).requestId());

    assertThat(run.next(5)).containsExactly(new Decision.Finish(PipelineFinished.State.FAILED,
        "build failed: apps/b: build failed at STEP 3/3"));
  }

  @Test
  @DisplayName("a result delivered twice changes nothing: the first answer wins")
  void duplicateResultsChangeNothing() {
    start(VALIDATE);
    Decision.Dispatch validate = dispatchAll(1).get(0);
    apply(new StepFailed(VALIDATE, "*", "1 error", FailureKind.FINDINGS), validate.requestId());
    apply(new StepFinished(VALIDATE, "*", 5, "all good"), validate.requestId());

    assertThat(run.units()).singleElement().satisfies(u -> {
      assertThat(u.state()).isEqualTo(PipelineRun.UnitState.FAILED);
      assertThat(u.summary()).isEqualTo("1 error");
    });
  }

  @Test
  @DisplayName("a result that arrives before the coordinator's step.started is kept and counted once it arrives")
  void earlyResultIsKept() {
    start(VALIDATE);
    String requestId = RequestIds.of("p-1", VALIDATE, "*");
    apply(new StepFinished(VALIDATE, "*", 5, "ok"), requestId);
    apply(new StepStarted(VALIDATE, "*", requestId), null);

    assertThat(run.next(1)).containsExactly(new Decision.Finish(PipelineFinished.State.SUCCEEDED, null));
  }

  @Test
  @DisplayName("replaying the same events into a fresh run reaches the same state and the same next decision")
  void replayRebuildsTheSameState() {
    start(BUILD, VALIDATE);
    List<Envelope> log = new java.util.ArrayList<>();
    PipelineRun replayed = new PipelineRun("p-1");
    Envelope startedEvent = run.startedEvent().orElseThrow();
    log.add(startedEvent);
    for (Decision.Dispatch d : dispatchAll(2)) {
      log.add(apply(new StepStarted(d.step(), d.target(), d.requestId()), null));
    }
    log.add(apply(new StepFinished(BUILD, "apps/a", 5, "ok"), RequestIds.of("p-1", BUILD, "apps/a")));
    log.forEach(e -> replayed.apply(e, CODEC.payload(e)));

    assertThat(replayed.next(2)).isEqualTo(run.next(2));
    assertThat(replayed.next(2)).extracting(d -> ((Decision.Dispatch) d).target()).containsExactly("tools/tool-c");
  }

  @Test
  @DisplayName("the same step and target always get the same request id, so a resend is the same request")
  void requestIdsAreStable() {
    assertThat(RequestIds.of("p-1", BUILD, "apps/a")).isEqualTo(RequestIds.of("p-1", BUILD, "apps/a"))
        .isNotEqualTo(RequestIds.of("p-2", BUILD, "apps/a"))
        .isNotEqualTo(RequestIds.of("p-1", StepName.TEST, "apps/a"));
  }

  @Test
  @DisplayName("a cancel ends the pipeline as cancelled with the reason, but waits for a publish in progress")
  void cancelWaitsForAPublish() {
    start(PACKAGE_REGISTRY, PUBLISH_REGISTRY);
    finish(dispatchAll(1).get(0));
    Decision.Dispatch publish = dispatchAll(1).get(0);
    apply(new CancelRequested("superseded by p-2"), null);

    assertThat(run.next(1)).as("never cancelled mid-write").isEmpty();
    finish(publish);
    assertThat(run.next(1)).containsExactly(new Decision.Finish(PipelineFinished.State.CANCELLED,
        "superseded by p-2"));
  }

  @Test
  @DisplayName("a packaged registry stored for the pipeline becomes its artifact, once")
  void artifactsFromPackagedRegistry() {
    start(PACKAGE_REGISTRY);
    RegistryPackaged packaged = new RegistryPackaged("dist/r.tar.gz", 10, "abc", "artifacts/p-1/r.tar.gz");
    apply(packaged, null);
    apply(packaged, null);

    assertThat(run.artifacts()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("r.tar.gz");
      assertThat(a.key()).isEqualTo("artifacts/p-1/r.tar.gz");
    });
  }
}
