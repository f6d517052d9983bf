package io.garden.common.event;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangesTest {

  @Test
  @DisplayName("a sender's list too long to carry is dropped, keeping the base: the coordinator diffs, or runs all")
  void anOversizedListIsDropped() {
    List<String> many = Collections.nCopies(Changes.MAX_PATHS + 1, "tools/x/kamiwaza.json");
    List<String> long_ = List.of("a".repeat(Changes.MAX_PATH_CHARS + 1));
    assertThat(new Changes("base", many).paths()).isEmpty();
    assertThat(new Changes("base", long_).paths()).isEmpty();
    assertThat(new Changes("base", many).base()).isEqualTo("base");
    assertThat(new Changes("base", List.of("tools/x/a")).paths()).containsExactly("tools/x/a");
  }
}
