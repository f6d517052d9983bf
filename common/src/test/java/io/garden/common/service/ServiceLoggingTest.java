package io.garden.common.service;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceLoggingTest {

  @Test
  @DisplayName("GARDEN_LOG_FORMAT picks text or JSON lines; anything else is a configuration error naming it")
  void formatIsChosenOrRefused() {
    assertThat(ServiceLogging.resource(Map.of())).isEqualTo(ServiceLogging.TEXT);
    assertThat(ServiceLogging.resource(Map.of("GARDEN_LOG_FORMAT", "json"))).isEqualTo(ServiceLogging.JSON);
    assertThatThrownBy(() -> ServiceLogging.resource(Map.of("GARDEN_LOG_FORMAT", "xml")))
        .hasMessage("GARDEN_LOG_FORMAT is text or json, not 'xml'");
  }

  @Test
  @DisplayName("GARDEN_LOG_LEVEL is a level in any case (INFO when unset); anything else is refused, naming it")
  void levelIsChosenOrRefused() {
    assertThat(ServiceLogging.level(Map.of())).isEqualTo("INFO");
    assertThat(ServiceLogging.level(Map.of("GARDEN_LOG_LEVEL", "debug"))).isEqualTo("DEBUG");
    assertThatThrownBy(() -> ServiceLogging.level(Map.of("GARDEN_LOG_LEVEL", "loud")))
        .hasMessage("GARDEN_LOG_LEVEL is one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, not 'loud'");
  }

  @Test
  @DisplayName("with GARDEN_LOG_FORMAT=json a service's log line is one JSON object with level, logger, message,"
      + " and the pipeline and trace it is about")
  void jsonLinesParse() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      ServiceLogging.reconfigure(Map.of("GARDEN_LOG_FORMAT", "json"));
      LoggerFactory.getLogger("io.garden.test").info("validate-worker: took partition(s) [0] of x");
      io.garden.common.event.PipelineLog.about("p-42", "4bf92f3577b34da6a3ce929d0e0e4736",
          () -> LoggerFactory.getLogger("io.garden.test").info("pipeline p-42 failed: validate failed"));
      LoggerFactory.getLogger("io.garden.test").info("the next line");
    } finally {
      System.setOut(original);
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.reset();
      new ContextInitializer(context).autoConfig();
    }
    String line = captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("took partition")).findFirst().orElseThrow();
    JsonNode json = Json.events().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("loggerName").asText()).isEqualTo("io.garden.test");
    assertThat(json.path("message").asText()).isEqualTo("validate-worker: took partition(s) [0] of x");
    JsonNode about = Json.events().readTree(captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("p-42 failed")).findFirst().orElseThrow());
    assertThat(about.path("mdc").path("pipelineId").asText()).isEqualTo("p-42");
    assertThat(about.path("mdc").path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    JsonNode next = Json.events().readTree(captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("the next line")).findFirst().orElseThrow());
    assertThat(next.path("mdc").path("pipelineId").isMissingNode()).as("nothing left on the thread").isTrue();
  }
}
