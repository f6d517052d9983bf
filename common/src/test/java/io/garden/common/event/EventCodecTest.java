package io.garden.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

  private final EventCodec codec = new EventCodec(Clock.fixed(Instant.parse("2026-11-25T07:30:00Z"), ZoneOffset.UTC));

  @TestFactory
  @DisplayName("every registered event type round-trips through its golden fixture unchanged")
  Stream<DynamicTest> goldenFixtures() {
    return EventTypes.all().keySet().stream().map(type -> DynamicTest.dynamicTest(type, () -> {
      byte[] fixture = fixture(type);
      Envelope envelope = codec.decode(fixture);
      EventPayload payload = codec.payload(envelope);

      assertThat(payload).isInstanceOf(EventTypes.payloadClass(type).orElseThrow());
      Envelope rebuilt = new Envelope(envelope.id(), envelope.type(), envelope.version(), envelope.time(),
          envelope.pipelineId(), envelope.correlationId(), envelope.actor(), envelope.source(), envelope.causationId(),
          codec.mapper().valueToTree(payload));
      JsonNode expected = codec.mapper().readTree(fixture);
      assertThat(codec.mapper().readTree(codec.encode(rebuilt))).isEqualTo(expected);
    }));
  }

  @Test
  @DisplayName("a new envelope carries the payload's registered type, a fresh id and the context")
  void envelopeFromPayload() {
    var context = new EventContext("p-1", "c-1", "bob", "cli@laptop");
    Envelope envelope = codec.envelope(new StepStarted(StepName.BUILD, "apps/x"), context);

    assertThat(envelope.type()).isEqualTo("step.started");
    assertThat(envelope.id()).isNotBlank();
    assertThat(envelope.time()).isEqualTo(Instant.parse("2026-11-25T07:30:00Z"));
    assertThat(EventContext.of(envelope, "worker@host"))
        .as("events answering it carry its context, caused by it")
        .isEqualTo(new EventContext("p-1", "c-1", "bob", "worker@host", envelope.id()));
    assertThat(envelope.causationId()).isNull();
    assertThat(codec.payload(codec.decode(codec.encode(envelope)), StepStarted.class))
        .isEqualTo(new StepStarted(StepName.BUILD, "apps/x"));
  }

  @Test
  @DisplayName("a step, action or failure kind outside its typed set is a permanent decode error naming the value")
  void unknownNamesRefusedAtDecode() {
    String json = """
        {"id":"e1","type":"validate.requested","version":1,"time":"2026-11-25T07:30:00Z","source":"x@y",
         "data":{"source":{"path":"/r"},"steps":["deploy-to-the-moon"]}}""";
    Envelope envelope = codec.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> codec.payload(envelope))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("unknown step 'deploy-to-the-moon'; expected one of: sync-compose, check, validate");
    String pipeline = json.replace("validate.requested", "pipeline.requested").replace("deploy-to-the-moon", "deploy");
    assertThatThrownBy(() -> codec.payload(codec.decode(pipeline.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("unknown step 'deploy'");
  }

  @Test
  @DisplayName("an unknown field in the envelope or the payload is ignored (tolerant reader)")
  void unknownFieldsIgnored() {
    String json = """
        {"id":"e1","type":"step.started","version":1,"time":"2026-11-25T07:30:00Z","source":"x@y",
         "shinyNewField":{"a":1},
         "data":{"step":"validate","target":"apps/x","addedInV2":true}}""";

    Envelope envelope = codec.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(codec.payload(envelope, StepStarted.class)).isEqualTo(new StepStarted(StepName.VALIDATE, "apps/x"));
  }

  @Test
  @DisplayName("targets accept \"all\", \"changed\" or a list, and reject anything else clearly")
  void targetsForms() {
    assertThat(requestWithTargets("\"all\"").targets()).isEqualTo(Targets.all());
    assertThat(requestWithTargets("\"changed\"").targets()).isEqualTo(Targets.changed());
    assertThat(requestWithTargets("[\"apps/a\",\"tools/b\"]").targets().ids()).containsExactly("apps/a", "tools/b");
    assertThatThrownBy(() -> requestWithTargets("\"some\""))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("targets must be \"all\", \"changed\" or a list");
  }

  private PipelineRequested requestWithTargets(String targets) {
    String json = "{\"id\":\"e1\",\"type\":\"pipeline.requested\",\"version\":1,\"time\":\"2026-11-25T07:30:00Z\","
        + "\"source\":\"x@y\",\"data\":{\"source\":{\"path\":\"/r\"},\"steps\":[\"validate\"],\"targets\":"
        + targets + "}}";
    return codec.payload(codec.decode(json.getBytes(StandardCharsets.UTF_8)), PipelineRequested.class);
  }

  @TestFactory
  @DisplayName("a malformed record is reported as a permanent MalformedEventException with a clear reason")
  Stream<DynamicTest> malformedRecords() {
    record Case(String name, String json, String reason) {
    }
    return Stream.of(
        new Case("empty", "", "empty record"),
        new Case("not JSON", "<html>", "not valid JSON"),
        new Case("truncated", "{\"id\":\"e1\",\"type\":", "not valid JSON"),
        new Case("an array", "[1,2]", "expected a JSON object envelope"),
        new Case("no type", "{\"id\":\"e1\",\"version\":1,\"time\":\"2026-11-25T07:30:00Z\",\"source\":\"s\"}",
            "envelope field 'type' is required"),
        new Case("bad time", "{\"id\":\"e1\",\"type\":\"step.started\",\"version\":1,\"time\":\"yesterday\","
            + "\"source\":\"s\"}", "invalid envelope"),
        new Case("version 0", "{\"id\":\"e1\",\"type\":\"step.started\",\"version\":0,"
            + "\"time\":\"2026-11-25T07:30:00Z\",\"source\":\"s\"}", "version must be >= 1")
    ).map(c -> DynamicTest.dynamicTest(c.name(), () ->
        assertThatThrownBy(() -> codec.decode(c.json().getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(MalformedEventException.class)
            .hasMessageContaining(c.reason())));
  }

  @Test
  @DisplayName("a payload that does not fit its declared type, or an unknown type, is a permanent error")
  void badPayloads() {
    Envelope wrongShape = codec.decode(("{\"id\":\"e1\",\"type\":\"step.finished\",\"version\":1,"
        + "\"time\":\"2026-11-25T07:30:00Z\",\"source\":\"s\",\"data\":{\"durationMs\":\"soon\"}}")
        .getBytes(StandardCharsets.UTF_8));
    Envelope unknown = codec.decode(("{\"id\":\"e2\",\"type\":\"weather.report\",\"version\":1,"
        + "\"time\":\"2026-11-25T07:30:00Z\",\"source\":\"s\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> codec.payload(wrongShape))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("has invalid data");
    assertThatThrownBy(() -> codec.payload(unknown))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("unknown event type 'weather.report'");
    assertThatThrownBy(() -> codec.payload(wrongShape, StepStarted.class))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("expected 'step.started'");
  }

  @Test
  @DisplayName("a record above the size limit is refused before it is parsed")
  void oversizedRecord() {
    byte[] huge = new byte[EventCodec.MAX_EVENT_BYTES + 1];

    assertThatThrownBy(() -> codec.decode(huge))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("exceeds the");
  }

  @Test
  @DisplayName("every event type name is registered once and maps back to its class")
  void registryIsBijective() {
    List<String> names = List.copyOf(EventTypes.all().keySet());
    names.forEach(n -> assertThat(EventTypes.nameOf(EventTypes.payloadClass(n).orElseThrow())).isEqualTo(n));
  }

  private static byte[] fixture(String type) throws IOException {
    try (InputStream in = EventCodecTest.class.getResourceAsStream("/events/" + type + ".json")) {
      assertThat(in).as("golden fixture events/%s.json", type).isNotNull();
      return in.readAllBytes();
    }
  }
}
