package io.garden.gateway.api;

import io.garden.gateway.http.HttpProblem;

import io.garden.gateway.sources.SourcePolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineRequestsTest {

  @TempDir
  Path repo;

  private PipelineRequests intake() throws Exception {
    Files.createDirectories(repo.resolve("apps"));
    return new PipelineRequests(new SourcePolicy(List.of(repo), List.of()), Clock.systemUTC());
  }

  private byte[] body(String extra) {
    return ("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"publish-registry\"],\"targets\":\"all\"" + extra
        + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("options left out are off: a caller may send only the switch it wants")
  void partialOptions() throws Exception {
    var accepted = intake().check(body(",\"options\":{\"dryRun\":true}"));
    assertThat(accepted.request().options().dryRun()).isTrue();
    assertThat(accepted.request().options().force()).isFalse();
  }

  @Test
  @DisplayName("an unknown step is named with the steps there are")
  void unknownStepNamed() {
    assertThatThrownBy(() -> intake().check(("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"deploy-to-the-moon\"]}")
        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("invalid pipeline request: 'steps[0]': ")
        .hasMessageContaining("deploy-to-the-moon");
  }

  @Test
  @DisplayName("a field of the wrong type is named, with what it must be, in the caller's words")
  void wrongTypeNamed() {
    assertThatThrownBy(() -> intake().check(body(",\"options\":{\"dryRun\":\"maybe\"}")))
        .isInstanceOf(HttpProblem.class)
        .hasMessage("invalid pipeline request: 'options.dryRun' must be true or false");
    assertThatThrownBy(() -> intake().check(body(",\"steps\":\"validate\"")))
        .hasMessageNotContaining("jackson").hasMessageNotContaining("DeserializationFeature");
  }
}
