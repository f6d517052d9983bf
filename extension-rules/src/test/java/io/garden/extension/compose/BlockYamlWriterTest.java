package io.garden.extension.compose;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct writer either writes exactly SnakeYAML's bytes or leaves the document to SnakeYAML. Seeded random
 * documents built from the awkward cases (a fixed number, the seed in every failure; rerun one with
 * {@code -Dgarden.seed=N}).
 */
class BlockYamlWriterTest {

  private static final long SEED = Long.getLong("garden.seed", 20261130L);

  /** Words that SnakeYAML quotes, or leaves plain only just: indicators, numbers and booleans as text, quotes. */
  private static final List<String> WORDS = List.of("web", "8080:80", "${API_PORT:-8000}", "3.9", "1.0", "512M",
      "true", "no", "On", "null", "~", "", " lead", "trail ", "a b", "a: b", "a:b", "a #b", "a#b", "#x", "- x", "-x",
      "-", ":", "?", "? x", "?x", ":x", "x:", "---", "--- x", "...", "a...b", "'q'", "it's", "\"dq\"", "[a]", "{a}",
      "a,b", "&anchor", "*alias", "!tag", "|x", ">x", "%x", "@x", "`x", "0x1F", "0o17", "1_000", "+1", "-1", ".5",
      ".inf", "-.Inf", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:00", "<<", "=", "y", "N",
      "host.docker.internal:host-gateway", "kamiwazaai/app-web:1.0.0", "/data:/data:ro", "CMD-SHELL",
      "curl -f http://localhost:8000/health || exit 1", "caf\u00e9", "tab\there", "x".repeat(130));

  /** Multi-line strings: scripts, and the shapes SnakeYAML writes another way (leading space, trailing space). */
  private static final List<String> TEXTS = List.of("a\nb", "a\nb\n", "a\n\n", "a\n\nb", "set -e\n  indented\nrun",
      " lead\nx", "\nlead", "trail \nx", "x\ntrail ", "a\n\n\n", "caf\u00e9\nx", "- a\n# b\n'c'", "a: b\nc",
      "until nc -z db 5432; do sleep 1; done\nexec uvicorn main:app --port $${API_PORT:-8000}");

  @Test
  @DisplayName("on random documents the direct writer writes SnakeYAML's bytes, or leaves the document to it")
  void sameBytesOrNothing() {
    int written = 0;
    for (int i = 0; i < 3000; i++) {
      long seed = SEED + i;
      Map<String, Object> document = new Documents(new Random(seed)).mapping(0);
      Optional<String> direct = BlockYamlWriter.write(document);
      if (direct.isPresent()) {
        written++;
        assertThat(direct.get()).as("case %d (-Dgarden.seed=%d): %s", i, seed, document)
            .isEqualTo(ComposeYaml.snakeYaml(document));
      }
    }
    // The comparison must be about something: most random documents are within reach.
    assertThat(written).as("documents the direct writer wrote").isGreaterThan(300);
  }

  @Test
  @DisplayName("every single awkward word and text, alone as a value, a key and a list item, is written the same")
  void eachAwkwardCaseAlone() {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (String word : WORDS) {
      documents.add(map("k", word));
      documents.add(map(word, "v"));
      documents.add(map("k", List.of(word)));
      documents.add(map("k", List.of(map(word, word), "after")));
    }
    for (String text : TEXTS) {
      documents.add(map("k", text, "next", "v"));
      documents.add(map("k", List.of(text, text), "next", map("n", text)));
    }
    documents.add(map("k", null, "l", java.util.Arrays.asList(null, "x", null), "n", 7, "m", -3L, "b", true));
    for (Map<String, Object> document : documents) {
      BlockYamlWriter.write(document).ifPresent(direct ->
          assertThat(direct).as("%s", document).isEqualTo(ComposeYaml.snakeYaml(document)));
    }
  }

  @Test
  @DisplayName("a map met twice (an alias sync kept) is left to SnakeYAML, which writes it once with an anchor")
  void sharedMapIsLeftToSnakeYaml() {
    Map<String, Object> env = map("LOG_LEVEL", "info");
    Map<String, Object> compose = map("x-env", env, "services", map("web", map("environment", env)));
    assertThat(BlockYamlWriter.write(compose)).isEmpty();
    assertThat(ComposeYaml.snakeYaml(compose)).contains("&id001").contains("*id001");
  }

  @Test
  @DisplayName("the shapes of a synced compose file are written directly, not left to SnakeYAML")
  void composeShapesAreWrittenDirectly() {
    Map<String, Object> compose = map("version", "3.9", "services", map(
        "api", map("image", "kamiwazaai/x-api:1.0.0", "ports", List.of("8000", map("target", 9000, "protocol", "tcp")),
            "environment", map("LOG_LEVEL", "${LOG_LEVEL:-info}", "EMPTY", null),
            "command", List.of("bash", "-c", "until nc -z db 5432; do sleep 1; done\nexec uvicorn main:app"),
            "deploy", map("resources", map("limits", map("cpus", "1.0", "memory", "1G"))))),
        "volumes", map("data", null));
    assertThat(BlockYamlWriter.write(compose)).hasValue(ComposeYaml.snakeYaml(compose));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Random nested documents: maps and lists (lists in lists too), words, texts, numbers, booleans, nulls. */
  private static final class Documents {
    private final Random random;
    /** Maps and lists already complete: reusable without making a document that holds itself. */
    private final List<Object> finished = new ArrayList<>();

    Documents(Random random) {
      this.random = random;
    }

    Map<String, Object> mapping(int depth) {
      Map<String, Object> map = new LinkedHashMap<>();
      int size = depth == 0 ? 1 + random.nextInt(4) : random.nextInt(4);
      for (int i = 0; i < size; i++) {
        map.put(random.nextInt(4) == 0 ? pick(WORDS) : "key" + random.nextInt(20), value(depth + 1));
      }
      return map;
    }

    private List<Object> sequence(int depth) {
      List<Object> list = new ArrayList<>();
      int size = random.nextInt(4);
      for (int i = 0; i < size; i++) {
        list.add(value(depth + 1));
      }
      return list;
    }

    private Object value(int depth) {
      if (!finished.isEmpty() && random.nextInt(12) == 0) {
        // The same map or list twice, as a YAML alias that sync keeps leaves it (SnakeYAML writes an anchor).
        return finished.get(random.nextInt(finished.size()));
      }
      int kind = random.nextInt(depth > 4 ? 6 : 9);
      return switch (kind) {
        case 0, 1 -> "plain-" + random.nextInt(100);
        case 2 -> pick(WORDS);
        case 3 -> pick(TEXTS);
        case 4 -> random.nextBoolean() ? (Object) random.nextInt(10000) : Boolean.valueOf(random.nextBoolean());
        case 5 -> null;
        case 6, 7 -> remember(mapping(depth));
        default -> remember(sequence(depth));
      };
    }

    private <T> T remember(T collection) {
      finished.add(collection);
      return collection;
    }

    private String pick(List<String> from) {
      return from.get(random.nextInt(from.size()));
    }
  }
}
