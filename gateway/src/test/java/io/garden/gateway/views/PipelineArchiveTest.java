package io.garden.gateway.views;

import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineStarted;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.event.Targets;
import io.garden.common.store.FileObjectStore;
import io.garden.gateway.coordinator.PipelineRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineArchiveTest {

  private static final EventCodec CODEC = EventCodec.shared();

  @TempDir
  Path store;

  private static Envelope event(EventPayload payload, String causation) {
    return CODEC.envelope(payload, new EventContext("p-20261204-1", "c", "alice", "test", causation));
  }

  @Test
  @DisplayName("an archived pipeline folds back to what the views showed: state, steps, reason, where it began")
  void roundTrip() {
    PipelineArchive archive = new PipelineArchive(() -> new FileObjectStore(store));
    List<Envelope> events = List.of(
        event(new PipelineStarted(SourceRef.local("/repo"), List.of(StepName.VALIDATE), Targets.all(),
            List.of("apps/a"), "dev", PipelineOptions.defaults(), List.of()), null),
        event(new StepStarted(StepName.VALIDATE, "apps/a", "r-1"), null),
        event(new StepFinished(StepName.VALIDATE, "apps/a", 12, "apps/a is valid"), "r-1"),
        event(new PipelineFinished(PipelineFinished.State.SUCCEEDED, null, 40, List.of(), List.of(), null), null));

    archive.write(new PipelineArchive.Archived("p-20261204-1", 2, 1234, events));
    PipelineArchive.Archived read = archive.read("p-20261204-1").orElseThrow();
    PipelineRun run = read.run();

    assertThat(read.partition()).isEqualTo(2);
    assertThat(read.offset()).isEqualTo(1234);
    assertThat(PipelineJson.of(run)).isEqualTo(PipelineJson.of(fold(events)));
    assertThat(PipelineJson.state(run)).isEqualTo("succeeded");
    assertThat(run.units()).singleElement().satisfies(u -> assertThat(u.summary()).isEqualTo("apps/a is valid"));
    assertThat(Files.exists(store.resolve("pipelines/p-20261204-1.json"))).isTrue();
    archive.close();
  }

  @Test
  @DisplayName("an id that could escape the archive's folder is never a key: it is simply not there")
  void hostileIdsAreNotKeys() {
    PipelineArchive archive = new PipelineArchive(() -> new FileObjectStore(store));
    for (String id : List.of("../../etc/passwd", "a/b", "..", ".hidden", "x".repeat(200), "")) {
      assertThat(PipelineArchive.archivable(id)).as(id).isFalse();
      assertThat(archive.read(id)).as(id).isEmpty();
    }
    assertThat(archive.read("p-never-archived")).isEmpty();
  }

  @Test
  @DisplayName("an archive that cannot be read says which pipeline and where its events still are")
  void unreadableArchiveSaysWhich() throws Exception {
    Files.createDirectories(store.resolve("pipelines"));
    Files.writeString(store.resolve("pipelines/p-bad.json"), "{not json");
    PipelineArchive archive = new PipelineArchive(() -> new FileObjectStore(store));

    assertThatThrownBy(() -> archive.read("p-bad"))
        .hasMessageContaining("archive of pipeline p-bad")
        .hasMessageContaining("still on the audit stream");
  }

  private static PipelineRun fold(List<Envelope> events) {
    PipelineRun run = new PipelineRun("p-20261204-1");
    events.forEach(e -> run.apply(e, CODEC.payload(e)));
    return run;
  }
}
