package io.garden.common.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservedEnvironmentTest {

  @Test
  @DisplayName("a read is noted, set or not; a copy or a scan of the names is not a read")
  void readsAreNotedAndScansAreNot() {
    Map<String, String> env = ObservedEnvironment.of(Map.of("GARDEN_HOST", "a", "GARDEN_PORT", "1"));

    new HashMap<>(env);
    env.keySet().forEach(name -> { });
    env.get("GARDEN_HOST");
    env.getOrDefault("GARDEN_BIND", "0.0.0.0");
    env.containsKey("GARDEN_URL");

    assertThat(ObservedEnvironment.asked(env)).containsExactly("GARDEN_BIND", "GARDEN_HOST", "GARDEN_URL");
    assertThat(env).containsEntry("GARDEN_PORT", "1").hasSize(2);
  }

  @Test
  @DisplayName("handing it on keeps one record: of() returns it as it is, derived() shares it over other values")
  void oneRecordWhereverItGoes() {
    Map<String, String> env = ObservedEnvironment.of(Map.of("GARDEN_HOST", "a", "GARDEN_BIND", " "));
    Map<String, String> filtered = ObservedEnvironment.derived(env, Map.of("GARDEN_HOST", "a"));

    ObservedEnvironment.of(env).get("GARDEN_PORT");
    filtered.get("GARDEN_HOST");

    assertThat(ObservedEnvironment.of(env)).isSameAs(env);
    assertThat(ObservedEnvironment.asked(env)).containsExactly("GARDEN_HOST", "GARDEN_PORT");
    assertThat(ObservedEnvironment.asked(Map.of("GARDEN_HOST", "a"))).isEmpty();
    assertThatThrownBy(() -> env.put("GARDEN_HOST", "b")).isInstanceOf(UnsupportedOperationException.class);
  }
}
