package io.garden.common.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumberSettingTest {

  @Test
  @DisplayName("unset or blank means the default; a value is read with its spaces trimmed")
  void defaultsAndValues() {
    assertThat(NumberSetting.atLeast(Map.of(), "GARDEN_X", 50, 1)).isEqualTo(50);
    assertThat(NumberSetting.atLeast(Map.of("GARDEN_X", "  "), "GARDEN_X", 50, 1)).isEqualTo(50);
    assertThat(NumberSetting.atLeast(Map.of("GARDEN_X", " 7 "), "GARDEN_X", 50, 1)).isEqualTo(7);
  }

  @Test
  @DisplayName("a value below the range, above it, not a number, or too big for a long names the variable")
  void outOfRange() {
    for (String bad : new String[] {"0", "70000", "three", "99999999999999999999"}) {
      assertThatThrownBy(() -> NumberSetting.read(Map.of("GARDEN_PORTISH", bad), "GARDEN_PORTISH", 1, 1, 65535,
          "a port number")).hasMessage("GARDEN_PORTISH must be a port number, was '" + bad + "'");
    }
  }

  @Test
  @DisplayName("atLeast says the bound")
  void atLeastMessage() {
    assertThatThrownBy(() -> NumberSetting.atLeast(Map.of("GARDEN_X", "0"), "GARDEN_X", 5, 1))
        .hasMessage("GARDEN_X must be a whole number of at least 1, was '0'");
  }
}
