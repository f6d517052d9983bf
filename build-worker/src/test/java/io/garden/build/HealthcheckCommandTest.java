package io.garden.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthcheckCommandTest {

  @Test
  @DisplayName("a HEALTHCHECK is run as the engine would: CMD execs its words, CMD-SHELL goes through /bin/sh -c")
  void commandOfACheck() {
    assertThat(SmokeTest.checkCommand(List.of("CMD", "curl", "-f", "http://localhost/health")))
        .containsExactly("curl", "-f", "http://localhost/health");
    assertThat(SmokeTest.checkCommand(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1")))
        .containsExactly("/bin/sh", "-c", "curl -f http://localhost/ || exit 1");
    assertThat(SmokeTest.checkCommand(List.of("NONE"))).isEmpty();
    assertThat(SmokeTest.checkCommand(null)).isEmpty();
  }
}
