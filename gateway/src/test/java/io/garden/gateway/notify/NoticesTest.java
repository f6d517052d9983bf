package io.garden.gateway.notify;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NoticesTest {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private final Notices notices = new Notices(Set.of(Stage.STAGE, Stage.PROD),
      Optional.of(URI.create("https://garden.example.com/")));

  private static Envelope envelope(EventPayload payload) {
    return CODEC.envelope(payload, new EventContext("p-1", "c-1", "api:alice", "gateway"));
  }

  private static PipelineFinished failed(Trigger trigger) {
    return new PipelineFinished(PipelineFinished.State.FAILED, "validate: tools/x/kamiwaza.json: name missing", 900,
        List.of(), List.of(), trigger);
  }

  @Test
  @DisplayName("a pipeline a GitHub push started that failed is told, with its reason, repository, ref, commit and link")
  void aFailedWebhookPipelineIsTold() {
    Envelope event = envelope(failed(new Trigger(TriggerKind.GITHUB, "d-1", "acme/garden", "refs/heads/main", SHA,
        false)));
    Notice notice = notices.of(event, CODEC.payload(event)).orElseThrow();
    assertThat(notice.kind()).isEqualTo("pipeline-failed");
    assertThat(notice.event()).isEqualTo(event.id());
    assertThat(notice.title()).isEqualTo("Pipeline p-1 failed");
    assertThat(notice.details()).containsExactly("validate: tools/x/kamiwaza.json: name missing",
        "github acme/garden refs/heads/main @ 0123456789ab", "https://garden.example.com/#pipeline=p-1");
    assertThat(notice.facts()).containsEntry("commit", SHA).containsEntry("repository", "acme/garden");
  }

  @Test
  @DisplayName("a failed pipeline someone started at a terminal, a succeeded or cancelled webhook pipeline: quiet")
  void otherPipelinesAreQuiet() {
    Envelope byHand = envelope(failed(null));
    Envelope fromChat = envelope(failed(new Trigger(TriggerKind.SLACK, null, "C1", null, null, false)));
    Envelope succeeded = envelope(new PipelineFinished(PipelineFinished.State.SUCCEEDED, null, 1, List.of(),
        List.of(), new Trigger(TriggerKind.GITLAB, "d", "42", "refs/heads/main", SHA, false)));
    for (Envelope quiet : List.of(byHand, fromChat, succeeded)) {
      assertThat(notices.of(quiet, CODEC.payload(quiet))).isEmpty();
    }
  }

  @Test
  @DisplayName("a publish to an announced stage is told with its counts and who did it; one to dev is not")
  void publishesToAnnouncedStagesAreTold() {
    Envelope prod = envelope(new PublishFinished("prod", "s3://b", 1, 2, 0, 7, true, "backups/x"));
    Notice notice = notices.of(prod, CODEC.payload(prod)).orElseThrow();
    assertThat(notice.title()).isEqualTo("Published to prod");
    assertThat(notice.details()).startsWith("1 inserted, 2 replaced, 0 removed, 7 unchanged",
        "by api:alice, pipeline p-1");
    Envelope dev = envelope(new PublishFinished("dev", "s3://b", 1, 0, 0, 0, true, null));
    assertThat(notices.of(dev, CODEC.payload(dev))).isEmpty();
  }

  @Test
  @DisplayName("a failed publish to prod is told with its reason and what became of the index and the lock")
  void aFailedPublishIsTold() {
    Envelope event = envelope(new PublishFailed("prod", "s3://b", "the store refused the write", true, true, false));
    Notice notice = notices.of(event, CODEC.payload(event)).orElseThrow();
    assertThat(notice.kind()).isEqualTo("publish-failed");
    assertThat(notice.details()).contains("the store refused the write",
        "the index it had begun to write was put back");
  }

  @Test
  @DisplayName("a write waiting for approval tells whoever may approve: what, who asked, how to answer, until when")
  void anApprovalRequestIsTold() {
    Envelope event = envelope(new io.garden.common.event.ApprovalRequested("prod",
        io.garden.common.event.StepName.PUBLISH_REGISTRY, "sha256:ab", 1, "api:alice",
        java.time.Instant.parse("2026-12-08T10:00:00Z")));
    Notice notice = notices.of(event, CODEC.payload(event)).orElseThrow();
    assertThat(notice.kind()).isEqualTo("approval-requested");
    assertThat(notice.title()).isEqualTo("Approval needed: publish-registry to prod");
    assertThat(notice.details()).contains("garden approve p-1  |  garden reject p-1 --reason ...  (until"
        + " 2026-12-08T10:00:00Z)");
  }

  @Test
  @DisplayName("without GARDEN_PUBLIC_URL a notice has no link, rather than a made-up one")
  void noLinkWithoutAPublicUrl() {
    Notices unlinked = new Notices(Set.of(Stage.PROD), Optional.empty());
    Envelope event = envelope(new PublishFinished("prod", "s3://b", 0, 0, 0, 3, false, null));
    Notice notice = unlinked.of(event, CODEC.payload(event)).orElseThrow();
    assertThat(notice.details()).containsExactly("nothing changed (3 unchanged)", "by api:alice, pipeline p-1");
    assertThat(notice.facts()).doesNotContainKey("url");
  }
}
