package io.garden.gateway.coordinator;

import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepName;
import io.garden.common.event.Targets;
import io.garden.common.source.SourceCheckouts;
import io.garden.gateway.sources.SourcePolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.garden.common.platform.Platforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineStartTest {

  @TempDir
  Path temp;

  @Test
  @DisplayName("a source folder that holds no extensions is refused by name before anything is planned")
  void sourceMustBeAnExtensionsRepository() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("not-a-repository"));
    Files.writeString(folder.resolve("README.md"), "no extensions here");
    PipelineRequested request = new PipelineRequested(SourceRef.local(folder.toString()),
        List.of(StepName.VALIDATE), Targets.all(), null, PipelineOptions.defaults());

    assertThatThrownBy(() -> PipelineStart.plan(request, new SourcePolicy(List.of(temp), List.of()),
        SourceCheckouts.localOnly(), () -> "unused", Platforms.parse("linux/amd64", "GARDEN_PLATFORMS"),
        PlatformBuilders.ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an extensions repository: " + folder);
  }
}
