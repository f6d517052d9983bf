package io.garden.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmokePlansTest {

  @Test
  @DisplayName("compose command strings are split as compose splits them; a list is taken as it is")
  void commandLines() {
    assertThat(SmokePlans.commandLine("sh -c 'exec httpd -f -p $PORT'"))
        .containsExactly("sh", "-c", "exec httpd -f -p $PORT");
    assertThat(SmokePlans.commandLine(List.of("a", "b c"))).containsExactly("a", "b c");
    assertThat(SmokePlans.commandLine(null)).isNull();
  }
}
