package io.garden.common.release;

import io.garden.common.event.ApprovalDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PlannedDecision;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.PublishPlanned;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseHistoryTest {

  private static final EventCodec CODEC = EventCodec.shared();
  private final ReleaseHistory history = new ReleaseHistory();

  private void on(String pipeline, String actor, EventPayload payload) {
    history.accept(CODEC.envelope(payload, new EventContext(pipeline, pipeline, actor, "it")));
  }

  /** A publish that ran: requested by {@code actor}, planned, finished with {@code backup}. */
  private void publish(String pipeline, String actor, String stage, String backup, PlannedDecision... plan) {
    on(pipeline, actor, new PipelineRequested(null, List.of(StepName.PUBLISH_REGISTRY), Targets.all(), stage,
        PipelineOptions.defaults()));
    on(pipeline, "registry-worker", new PublishPlanned(stage, "folder", false, false, List.of(plan)));
    on(pipeline, "registry-worker", new PublishFinished(stage, "folder", 1, 0, 0, 0, true, backup));
  }

  private static PlannedDecision row(String name, String version, String action) {
    return new PlannedDecision("apps.json", name, version, null, action, List.of(), null);
  }

  @Test
  @DisplayName("three publishes: each is a release with its requester and only the rows that changed the index")
  void foldsPublishesIntoReleases() {
    publish("p-1", "api:ann", "prod", null, row("notes", "1.0.0", "INSERT"), row("chat", "2.0.0", "UNCHANGED"));
    publish("p-2", "api:bob", "prod", "backups/prod/20261207-100000/", row("notes", "1.1.0", "REPLACE"));
    publish("p-3", "api:ann", "prod", "backups/prod/20261207-110000/", row("chat", "2.1.0", "REPLACE"));

    List<Release> releases = history.releases("prod", null);
    assertThat(releases).extracting(Release::id).containsExactly("p-1", "p-2", "p-3");
    assertThat(releases.get(0).requester()).isEqualTo("api:ann");
    assertThat(releases.get(0).changes()).extracting(PlannedDecision::name).containsExactly("notes");
    assertThat(releases.get(1).backupStamp()).isEqualTo("20261207-100000");
    assertThat(history.releases("prod", "chat")).extracting(Release::id).containsExactly("p-3");
    assertThat(history.releases("dev", null)).isEmpty();
  }

  @Test
  @DisplayName("a protected release names who approved the plan it wrote by, not who approved a plan that changed;"
      + " an emergency approval is flagged with its reason")
  void namesTheApproversOfThePlanWritten() {
    PlannedDecision first = row("notes", "1.0.0", "INSERT");
    PlannedDecision after = row("notes", "1.0.0", "UNCHANGED");
    on("p-1", "api:ann", new PipelineRequested(null, List.of(StepName.PUBLISH_REGISTRY), Targets.all(), "prod",
        PipelineOptions.defaults()));
    on("p-1", "api:bob", new ApprovalDecided("prod", PlanDigest.of(List.of(first)), true, "api:bob", "api:ann", null,
        false, "api"));
    on("p-1", "api:cy", new ApprovalDecided("prod", PlanDigest.of(List.of(after)), true, "api:cy", "api:ann", null,
        false, "api"));
    on("p-1", "registry-worker", new PublishPlanned("prod", "folder", false, false, List.of(after)));
    on("p-1", "registry-worker", new PublishFinished("prod", "folder", 0, 0, 0, 1, false, null));
    assertThat(history.releases("prod", null)).singleElement().satisfies(r -> {
      assertThat(r.approvers()).containsExactly("api:cy");
      assertThat(r.emergency()).isNull();
    });

    on("p-2", "api:ann", new PipelineRequested(null, List.of(StepName.PUBLISH_REGISTRY), Targets.all(), "prod",
        PipelineOptions.defaults()));
    on("p-2", "api:root", new ApprovalDecided("prod", PlanDigest.of(List.of(first)), true, "api:root", "api:ann",
        "the site is down", true, "api"));
    on("p-2", "registry-worker", new PublishPlanned("prod", "folder", false, false, List.of(first)));
    on("p-2", "registry-worker", new PublishFinished("prod", "folder", 1, 0, 0, 0, true, null));
    assertThat(history.releases("prod", null).get(1).emergency()).isEqualTo("the site is down");
  }

  @Test
  @DisplayName("a rollback to a release restores the backup the next release took; to the newest, nothing to do")
  void rollbackRestoresTheNextReleasesBackup() {
    publish("p-1", "api:ann", "prod", null, row("notes", "1.0.0", "INSERT"));
    publish("p-2", "api:bob", "prod", "backups/prod/20261207-100000/", row("notes", "1.1.0", "REPLACE"));
    publish("p-3", "api:ann", "prod", "backups/prod/20261207-110000/", row("notes", "1.2.0", "REPLACE"));

    assertThat(history.rollbackTo("prod", "p-1")).isInstanceOfSatisfying(ReleaseHistory.Rollback.Restore.class,
        r -> assertThat(r.backupStamp()).isEqualTo("20261207-100000"));
    assertThat(history.rollbackTo("prod", "p-2")).isInstanceOfSatisfying(ReleaseHistory.Rollback.Restore.class,
        r -> assertThat(r.backupStamp()).isEqualTo("20261207-110000"));
    assertThat(history.rollbackTo("prod", "p-3")).isInstanceOf(ReleaseHistory.Rollback.AlreadyThere.class);
  }

  @Test
  @DisplayName("dry runs are no releases; a failed publish is listed but is no place to roll back to")
  void dryRunsAndFailures() {
    publish("p-1", "api:ann", "prod", null, row("notes", "1.0.0", "INSERT"));
    on("p-dry", "api:bob", new PipelineRequested(null, List.of(StepName.PUBLISH_REGISTRY), Targets.all(), "prod",
        new PipelineOptions(true, false, false)));
    on("p-dry", "registry-worker", new PublishFinished("prod", "folder", 0, 0, 0, 1, false, null));
    on("p-bad", "api:bob", new PipelineRequested(null, List.of(StepName.PUBLISH_REGISTRY), Targets.all(), "prod",
        PipelineOptions.defaults()));
    on("p-validate", "api:bob", new PipelineRequested(null, List.of(StepName.VALIDATE), Targets.all(), "prod",
        PipelineOptions.defaults()));
    on("p-bad", "registry-worker", new PublishFailed("prod", "folder", "version conflict", false, false, false));

    assertThat(history.releases("prod", null)).extracting(Release::id).containsExactly("p-1", "p-bad");
    assertThat(history.releases("prod", null).get(1).failure()).isEqualTo("version conflict");
    assertThat(history.rollbackTo("prod", "p-bad")).isInstanceOfSatisfying(
        ReleaseHistory.Rollback.Refused.class, r -> assertThat(r.reason()).contains("did not write prod's index"));
    assertThat(history.rollbackTo("prod", "p-nope")).isInstanceOfSatisfying(
        ReleaseHistory.Rollback.Refused.class, r -> assertThat(r.reason()).contains("no release p-nope on prod"));
  }
}
