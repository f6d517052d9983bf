package io.garden.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.FailureKind;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PipelineOptions;
import io.garden.common.event.PipelineRequested;
import io.garden.common.event.SourceRef;
import io.garden.common.event.StepFailed;
import io.garden.common.event.StepFinished;
import io.garden.common.event.StepName;
import io.garden.common.event.StepStarted;
import io.garden.common.event.Targets;
import io.garden.common.format.YamlFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules and the dashboard in deploy/ are well formed and use only metrics the gateway and workers export. */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern METRIC = Pattern.compile("garden_[a-z_]+");
  /** Counted by every worker on the global registry (KafkaWorkerVerticle), not by the gateway's own. */
  private static final Set<String> WORKER_METRICS = Set.of("garden_worker_records_total");

  @Test
  @DisplayName("every alert rule has a name, an expression, a severity and a summary")
  void alertRulesAreComplete() throws Exception {
    Object yaml = new org.yaml.snakeyaml.Yaml(YamlFormat.untrustedLoader())
        .load(Files.readString(DEPLOY.resolve("prometheus/garden-alerts.yml")));
    JsonNode rules = EventCodec.shared().mapper().valueToTree(yaml);
    JsonNode group = rules.path("groups").get(0).path("rules");
    assertThat(group.size()).isGreaterThanOrEqualTo(6);
    group.forEach(rule -> {
      assertThat(rule.path("alert").asText()).as(rule.toString()).startsWith("Garden");
      assertThat(rule.path("expr").asText()).as(rule.toString()).isNotBlank();
      assertThat(rule.path("labels").path("severity").asText()).isIn("info", "warning", "critical");
      assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
    });
  }

  @Test
  @DisplayName("every garden_ metric the alerts and the dashboard use is one the code exports")
  void metricsExist() throws Exception {
    String scrape = exported();
    Set<String> used = new TreeSet<>();
    for (String file : List.of("prometheus/garden-alerts.yml", "grafana/garden-dashboard.json")) {
      Matcher m = METRIC.matcher(Files.readString(DEPLOY.resolve(file)));
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(used).allSatisfy(name -> assertThat(WORKER_METRICS.contains(name)
        || scrape.lines().anyMatch(line -> line.startsWith(name))).as(name + " is exported").isTrue());
    JsonNode dashboard = EventCodec.shared().mapper().readTree(Files.readString(
        DEPLOY.resolve("grafana/garden-dashboard.json")));
    assertThat(dashboard.path("panels")).allSatisfy(panel ->
        assertThat(panel.path("targets").get(0).path("expr").asText()).isNotBlank());
  }

  /** What the gateway's /metrics holds once it has seen one pipeline of each outcome. */
  private static String exported() {
    GatewayMetrics metrics = new GatewayMetrics();
    EventCodec codec = EventCodec.shared();
    EventContext context = new EventContext("p-1", "c", "alice", "test", "r-1");
    metrics.event(codec.envelope(new PipelineRequested(SourceRef.local("/repo"), List.of(StepName.VALIDATE),
        Targets.all(), "dev", PipelineOptions.defaults(), null, null), context));
    metrics.event(codec.envelope(new StepStarted(StepName.VALIDATE, "*", "r-1"), context));
    metrics.event(codec.envelope(new StepFinished(StepName.VALIDATE, "*", 5, "ok"), context));
    metrics.event(codec.envelope(new StepFailed(StepName.VALIDATE, "*", "bad", FailureKind.FINDINGS), context));
    for (PipelineFinished.State state : PipelineFinished.State.values()) {
      metrics.event(codec.envelope(new PipelineFinished(state, null, 10, List.of(), List.of(), null), context));
    }
    metrics.http("POST", "/webhooks/github", 401, 1_000_000);
    metrics.refusedConnection();
    metrics.lag("validate-worker", 3);
    return metrics.scrape();
  }
}
