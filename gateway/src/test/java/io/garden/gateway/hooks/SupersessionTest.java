package io.garden.gateway.hooks;

import io.garden.common.event.Changes;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SupersessionTest {

  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);

  private static PipelineRequested push(String before, String after, String... paths) {
    return new PipelineRequested(SourceRef.git("https://x/y.git", "refs/heads/main", after),
        List.of(StepName.CI_PIPELINE), before == null ? Targets.all() : Targets.changed(), "dev",
        PipelineOptions.defaults(), null, before == null ? null : new Changes(before, List.of(paths)));
  }

  @Test
  @DisplayName("the newer run covers both pushes: from the older's before to its own after, both lists of paths")
  void unionOfChanges() {
    PipelineRequested covering = Supersession.covering(push(A, B, "tools/tool-demo/app.py"),
        push(B, C, "apps/demo-app/main.js"));

    assertThat(covering.changes().base()).isEqualTo(A);
    assertThat(covering.changes().paths()).containsExactly("tools/tool-demo/app.py", "apps/demo-app/main.js");
    assertThat(covering.source().commit()).isEqualTo(C);
    assertThat(covering.targets()).isEqualTo(Targets.changed());
  }

  @Test
  @DisplayName("an older run that checked everything (a new branch, a force push) makes its replacement check"
      + " everything")
  void everythingStaysEverything() {
    PipelineRequested covering = Supersession.covering(push(null, B), push(B, C, "apps/demo-app/main.js"));
    assertThat(covering.targets()).isEqualTo(Targets.all());
    assertThat(covering.changes()).isNull();
  }
}
