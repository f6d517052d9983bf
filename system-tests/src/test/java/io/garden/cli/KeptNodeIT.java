package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.GatewayClient;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.gateway.GatewayConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** garden up --data-dir D: the embedded broker's data, the history and the token outlive a restart. */
class KeptNodeIT {

  private static final EventCodec CODEC = EventCodec.shared();

  @TempDir
  Path temp;

  private GardenNode start(Path repo, Path data) {
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "it");
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(data.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(List.of(repo));
    return GardenNode.start(env, config, gateway, new PrintWriter(new StringWriter()),
        EnumSet.allOf(GardenNode.Role.class), data);
  }

  @Test
  @DisplayName("restarted on the same data folder, the node keeps its pipelines, its event stream and its token")
  void restartKeepsHistoryAndToken() throws Exception {
    Path repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Path data = temp.resolve("data");
    String id;
    String token;
    try (GardenNode first = start(repo, data)) {
      token = first.token();
      GatewayClient client = new GatewayClient(first.url(), token);
      id = client.submit(CODEC.mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
          + "\"targets\":\"all\"}"));
      client.follow("pipeline=" + id, e -> EventTypes.is(e, PipelineFinished.class));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(GardenNode.TOKEN_FILE))))
        .isEqualTo("rw-------");

    try (GardenNode second = start(repo, data)) {
      assertThat(second.token()).as("an open operator page keeps working").isEqualTo(token);
      GatewayClient client = new GatewayClient(second.url(), token);
      JsonNode pipeline = client.pipeline(id);
      assertThat(pipeline.path("state").asText()).isEqualTo("succeeded");
      List<Envelope> replayed = new ArrayList<>();
      client.follow("pipeline=" + id + "&since=0", e -> {
        replayed.add(e);
        return EventTypes.is(e, PipelineFinished.class);
      });
      assertThat(replayed).extracting(Envelope::type).contains("pipeline.requested", "pipeline.finished");
    }
  }
}
