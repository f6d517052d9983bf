package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.GatewayClient;
import io.garden.common.ExamplesRepo;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.event.PipelineFinished;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.testing.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The audit trail from the CLI: garden tail and garden audit against a real gateway on a real broker. */
@ExtendWith(KafkaBroker.class)
class AuditTrailIT {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir
  static Path temp;

  private static RunningGateway gateway;
  private static Map<String, String> env;
  private static Instant before;
  private static Instant between;
  private static String first;
  private static String second;

  @BeforeAll
  static void twoPipelines() throws Exception {
    Path repo = ExamplesRepo.copyTo(Files.createDirectories(temp.resolve("extensions")));
    String token = "audit-" + UUID.randomUUID();
    gateway = RunningGateway.withFakeWorkers(Map.of("GARDEN_API_TOKEN", token,
        "GARDEN_ALLOWED_PATHS", repo.toString()), temp.resolve("store"));
    env = Map.of("GARDEN_HOST", "test", "GARDEN_URL", gateway.url(), "GARDEN_API_TOKEN", token);
    GatewayClient client = new GatewayClient(gateway.url(), token);
    JsonNode request = CODEC.mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},\"steps\":[\"validate\"],"
        + "\"targets\":\"all\"}");
    before = Instant.now().minusMillis(5);
    first = run(client, request);
    between = Instant.now();
    second = run(client, request);
  }

  private static String run(GatewayClient client, JsonNode request) {
    String id = client.submit(request);
    client.follow("pipeline=" + id + "&type=pipeline.finished", e -> EventTypes.is(e, PipelineFinished.class));
    return id;
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static CliRun garden(String... args) {
    return assertTimeoutPreemptively(BOUND, () -> CliRun.of(env, args));
  }

  private static List<JsonNode> jsonLines(String out) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        try {
          events.add(CODEC.mapper().readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
      }
    }
    return events;
  }

  @Test
  @DisplayName("tail --since --no-follow prints history in time order as JSON lines, then ends")
  void historyInTimeOrderThenEnds() {
    CliRun tail = garden("tail", "--since", before.toString(), "--no-follow", "--format", "jsonl");

    assertThat(tail.exitCode()).as(tail.err()).isZero();
    List<JsonNode> events = jsonLines(tail.out());
    List<Instant> times = events.stream().map(e -> Instant.parse(e.path("time").asText())).toList();
    assertThat(times).isSorted().allMatch(t -> !t.isBefore(before));
    assertThat(events).filteredOn(e -> e.path("type").asText().equals("pipeline.finished"))
        .extracting(e -> e.path("pipelineId").asText()).contains(first, second);
  }

  @Test
  @DisplayName("an audit line says when, who, which pipeline and what; a decision names action, target and verdict")
  void auditLinesCarryTimeActorAndVerdict() {
    CliRun tail = garden("tail", "--since", before.toString(), "--no-follow", "--pipeline", first);

    assertThat(tail.exitCode()).as(tail.err()).isZero();
    List<String> lines = Arrays.stream(tail.out().split("\n")).filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  \\S+  "
        + first + "  .*"));
    assertThat(lines).anyMatch(l -> l.contains("api:shared-token") && l.contains("ok allowed api:shared-token (run")
        && l.contains("via api)"));
    assertThat(lines.get(lines.size() - 1)).contains("succeeded");
    assertThat(tail.out()).as("no symbols when not on a terminal").doesNotContain("✔");
  }

  @Test
  @DisplayName("an unknown pipeline or event type is an error at once, not a silent wait")
  void unknownPipelineOrTypeIsAnError() {
    CliRun pipeline = garden("tail", "--pipeline", "p-no-such-pipeline");
    CliRun type = garden("tail", "--type", "step.finshed");

    assertThat(pipeline.exitCode()).isNotZero();
    assertThat(pipeline.err()).contains("no pipeline p-no-such-pipeline");
    assertThat(type.exitCode()).isNotZero();
    assertThat(type.err()).contains("type 'step.finshed' is no event type").contains("step.finished");
  }

  @Test
  @DisplayName("--extension takes an extension's name as well as its id")
  void extensionByName() {
    CliRun byName = garden("tail", "--since", before.toString(), "--no-follow", "--format", "jsonl",
        "--extension", "tool-websearch");

    assertThat(byName.exitCode()).as(byName.err()).isZero();
    assertThat(jsonLines(byName.out())).isNotEmpty()
        .allMatch(e -> e.toString().contains("tools/tool-websearch"));
  }

  @Test
  @DisplayName("garden audit exports a period as JSON lines and stops: nothing after --to")
  void auditExportsAPeriod() {
    CliRun audit = garden("audit", "--from", before.toString(), "--to", between.toString());

    assertThat(audit.exitCode()).as(audit.err()).isZero();
    List<JsonNode> events = jsonLines(audit.out());
    assertThat(events).extracting(e -> e.path("pipelineId").asText()).contains(first).doesNotContain(second);
    assertThat(events).allMatch(e -> !Instant.parse(e.path("time").asText()).isAfter(between));
    CliRun backwards = garden("audit", "--from", between.toString(), "--to", before.toString());
    assertThat(backwards.exitCode()).isNotZero();
    assertThat(backwards.err()).contains("--to").contains("is before --from");
  }
}
