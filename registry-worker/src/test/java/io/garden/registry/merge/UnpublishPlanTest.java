package io.garden.registry.merge;

import io.garden.registry.Entries;
import io.garden.registry.IndexEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UnpublishPlanTest {

  private static final List<IndexEntry> INDEX = List.of(Entries.entry("notes", "1.0.0", ">=0.8.0"),
      Entries.entry("notes", "1.1.0", ">=0.9.0"), Entries.entry("chat", "2.0.0", ">=0.8.0"));

  @Test
  @DisplayName("unpublish NAME --version V removes that version only: the other stays installable")
  void oneVersionGoesTheOtherStays() {
    MergePlan plan = Planner.remove("notes", "1.0.0").plan("apps.json", INDEX);

    assertThat(plan.decisions()).singleElement().satisfies(d -> {
      assertThat(d.action()).isEqualTo(Action.REMOVE);
      assertThat(d.version()).isEqualTo("1.0.0");
    });
    assertThat(plan.merged()).extracting(IndexEntry::name, IndexEntry::version)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("notes", "1.1.0"),
            org.assertj.core.groups.Tuple.tuple("chat", "2.0.0"));
  }

  @Test
  @DisplayName("unpublish NAME removes every version of it; a version nobody published removes nothing")
  void everyVersionOrNone() {
    assertThat(Planner.remove("notes").plan("apps.json", INDEX).merged()).extracting(IndexEntry::name)
        .containsExactly("chat");
    MergePlan none = Planner.remove("notes", "9.9.9").plan("apps.json", INDEX);
    assertThat(none.decisions()).isEmpty();
    assertThat(none.merged()).isEqualTo(INDEX);
  }
}
