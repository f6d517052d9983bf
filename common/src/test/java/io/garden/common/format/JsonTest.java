package io.garden.common.format;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

  record Holder(String owner, Instant since) {
  }

  @Test
  @DisplayName("an event with a field this version does not know is read (tolerant reader)")
  void eventsTolerateUnknownFields() throws Exception {
    Holder read = Json.events().readValue("{\"owner\":\"a\",\"since\":\"2026-11-30T10:00:00Z\",\"newer\":1}",
        Holder.class);
    assertThat(read.owner()).isEqualTo("a");
    assertThat(read.since()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
  }

  @Test
  @DisplayName("a file with a field nobody reads is an error, not something to guess around")
  void filesRefuseUnknownFields() {
    assertThatThrownBy(() -> Json.files().readValue("{\"owner\":\"a\",\"ownr\":\"b\"}", Holder.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
  }

  @Test
  @DisplayName("a file with a key written twice is refused; an event reader would keep the last one")
  void filesRefuseDuplicateKeys() throws Exception {
    assertThatThrownBy(() -> Json.files().readTree("{\"owner\":\"a\",\"owner\":\"b\"}"))
        .hasMessageContaining("Duplicate field 'owner'");
    assertThat(Json.events().readTree("{\"owner\":\"a\",\"owner\":\"b\"}").path("owner").asText()).isEqualTo("b");
  }

  @Test
  @DisplayName("a file with a second value after the first is refused")
  void filesRefuseTrailingValues() {
    assertThatThrownBy(() -> Json.files().readValue("{\"owner\":\"a\"} {\"owner\":\"b\"}", Holder.class))
        .hasMessageContaining("Trailing token");
  }

  @Test
  @DisplayName("instants are written as ISO text in both formats")
  void instantsAsIsoText() throws Exception {
    Holder holder = new Holder("a", Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(Json.files().writeValueAsString(holder)).contains("\"2026-11-30T10:00:00Z\"");
    assertThat(Json.events().writeValueAsString(holder)).contains("\"2026-11-30T10:00:00Z\"");
  }
}
