package io.garden.build;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineMessageTest {

  @Test
  @DisplayName("an engine error is told in the engine's own words, without the HTTP status and JSON around them")
  void engineWordsOnly() {
    var error = new InternalServerErrorException("Status 500: {\"cause\":\"broken pipe\",\"message\":\"write child:"
        + " broken pipe\",\"response\":500}\n");
    assertThat(Engine.engineMessage(error)).isEqualTo("write child: broken pipe");
  }

  @Test
  @DisplayName("an error that is not the engine's JSON keeps its first line")
  void otherErrors() {
    assertThat(Engine.engineMessage(new IllegalStateException("connection refused\nat socket")))
        .isEqualTo("connection refused");
  }
}
