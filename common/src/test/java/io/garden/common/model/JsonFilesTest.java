package io.garden.common.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFilesTest {

  private static final String DOCUMENT = """
      {"name": "app-x", "version": "1.0.0", "risk_tier": 1, "big": 12345678901234, "huge": 123456789012345678901234,
       "ratio": 0.25, "exp": 1e-7, "verified": false, "nothing": null, "tags": ["a", "ü", "\\u0001", {"k": []}],
       "env_defaults": {"A": "{app_port}", "quote": "say \\"hi\\"\\n"}}
      """;

  @Test
  @DisplayName("a file reads into the same tree as Jackson's mapper reads, and writes back to the same bytes")
  void sameAsTheMapper() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode ours = JsonFiles.readTree(DOCUMENT);
    JsonNode theirs = mapper.readTree(DOCUMENT);

    assertThat(ours).isEqualTo(theirs);
    assertThat(JsonFiles.write(ours)).isEqualTo(mapper.writeValueAsBytes(theirs));
  }

  @Test
  @DisplayName("a duplicate key and trailing content are refused; an empty document is no tree")
  void refusals() throws Exception {
    assertThatThrownBy(() -> JsonFiles.readTree("{\"a\": 1, \"a\": 2}")).hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> JsonFiles.readTree("{} {}")).hasMessageContaining("more than one value");
    assertThat(JsonFiles.readTree("  ")).isNull();
  }
}
