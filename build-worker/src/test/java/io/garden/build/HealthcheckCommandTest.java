package io.garden.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthcheckCommandTest {

  @Test
  @DisplayName("a HEALTHCHECK is run as the engine would: CMD execs its words, CMD-SHELL goes through /bin/sh -c")
  void commandOfACheck() {
    assertThat(HealthPolicy.checkCommand(List.of("CMD", "curl", "-f", "http://localhost/health")))
        .containsExactly("curl", "-f", "http://localhost/health");
    assertThat(HealthPolicy.checkCommand(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1")))
        .containsExactly("/bin/sh", "-c", "curl -f http://localhost/ || exit 1");
    assertThat(HealthPolicy.checkCommand(List.of("NONE"))).isEmpty();
    assertThat(HealthPolicy.checkCommand(null)).isEmpty();
  }
}
