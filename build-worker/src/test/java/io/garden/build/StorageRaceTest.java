package io.garden.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StorageRaceTest {

  @Test
  @DisplayName("podman losing an image it just wrote is taken for the storage race and built once more")
  void theEnginesLostImageIsTheRace() {
    assertThat(Engine.StorageRace.matches(new BuildFailedException("Build of garden/x failed: locating just-written"
        + " image sha256:ab12: image not known", "STEP 3/3: COPY . /app", List.of()))).isTrue();
  }

  @Test
  @DisplayName("a Dockerfile's own failure is not the race: it is reported, not built again")
  void aFailingStepIsNotTheRace() {
    assertThat(Engine.StorageRace.matches(new BuildFailedException("Build of garden/x failed: The command"
        + " '/bin/sh -c exit 3' returned a non-zero code: 3", "STEP 2/3: RUN exit 3", List.of("exit 3"))))
        .isFalse();
  }
}
