package io.garden.common.model;

import io.garden.common.model.DocumentPositions.Position;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentPositionsTest {

  private static final String JSON = """
      {
        "name": "app-x",
        "tags": ["a", 7],
        "env_defaults": {
          "A/B": "{port}"
        }
      }
      """;

  private static final String YAML = """
      services:
        web:
          image: x
          ports:
            - '80:80'
            - "443"
      volumes:
        data: {}
      """;

  @Test
  @DisplayName("a JSON field is found at its key, a list item at the item")
  void jsonFieldsAndItems() {
    DocumentPositions p = DocumentPositions.ofJson(JSON);
    assertThat(p.find("/name")).contains(new Position(2, 3));
    assertThat(p.find("/tags/1")).contains(new Position(3, 17));
    assertThat(p.find(Finding.pointer("env_defaults", "A/B"))).contains(new Position(5, 5));
  }

  @Test
  @DisplayName("a YAML key is found at the key, a list item at the item")
  void yamlKeysAndItems() {
    DocumentPositions p = DocumentPositions.ofYaml(YAML);
    assertThat(p.find("/services/web")).contains(new Position(2, 3));
    assertThat(p.find("/services/web/ports/1")).contains(new Position(6, 9));
    assertThat(p.find("/volumes/data")).contains(new Position(8, 3));
  }

  @Test
  @DisplayName("something the file lacks is shown at the deepest place on the way to it")
  void missingNodesFallBackToTheirParent() {
    DocumentPositions p = DocumentPositions.ofYaml(YAML);
    assertThat(p.find("/services/web/deploy/resources/limits")).contains(new Position(2, 3));
    assertThat(DocumentPositions.ofJson(JSON).find("/kamiwaza_version")).contains(new Position(1, 1));
  }

  @Test
  @DisplayName("a file that does not parse has no positions (its parse error has the line)")
  void unparseableFilesHaveNoPositions() {
    assertThat(DocumentPositions.ofYaml("a: [").find("/a")).isEmpty();
    assertThat(DocumentPositions.ofJson("{\"a\": ").find("/b")).isEmpty();
  }

  @Test
  @DisplayName("an alias is shown where its anchored content is written, found without expanding anything")
  void aliasesAreNotExpanded() {
    StringBuilder yaml = new StringBuilder("big: &b [" + "\"x\", ".repeat(1000) + "\"x\"]\nrefs:\n");
    for (int i = 0; i < 40; i++) {
      yaml.append("  - *b\n");
    }
    DocumentPositions p = DocumentPositions.ofYaml(yaml.toString());
    assertThat(p.find("/big/5")).contains(new Position(1, 35));
    assertThat(p.find("/refs/39")).contains(new Position(1, 6));
    assertThat(p.find("/refs/39/5")).contains(new Position(1, 35));
  }
}
