package io.garden.registry.range;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeRelationTest {

  private static RangeRelation relation(String newer, String older) {
    return RangeRelation.of(VersionRange.parse(newer), VersionRange.parse(older));
  }

  @ParameterizedTest(name = "''{0}'' vs ''{1}'' → {2}")
  @CsvSource(delimiter = '|', value = {
      ">=3.0.0          | >=4.0.0          | SUPERSET",
      ">=4.0.0          | >=3.0.0          | SUBSET",
      ">=1.0.0,<2.0.0   | >=2.0.0          | DISJOINT",
      ">=2.0.0          | >=1.0.0,<2.0.0   | DISJOINT",
      "*                | >=0.8.0          | SUPERSET",
      ">=0.8.0          | *                | SUBSET",
      "*                |                  | SAME",
      ">=1.0.0,<3.0.0   | >=2.0.0,<4.0.0   | PARTIAL",
      ">=0.8.0,<1.0.0   | >=0.8.0,<1.0.0   | SAME",
      ">=0.8,<1.0       | >=0.8.0,<1.0.0   | SAME",
      "1.2.3            | ==1.2.3          | SAME",
      "~=1.4            | >=1.4.0,<2.0.0   | SAME",
      "~=1.4.5          | >=1.4.5,<1.5.0   | SAME",
      "!=1.0.0          | *                | SUBSET",
      "*                | !=1.0.0          | SUPERSET",
      "!=1.0.0          | ==1.0.0          | DISJOINT",
      ">=1.0.0,!=1.5.0  | >=1.0.0          | SUBSET",
      ">1.0.0           | >=1.0.0          | SUBSET",
      "<=2.0.0          | <2.0.0           | SUPERSET",
      ">=2.0.0,<=2.0.0  | ==2.0.0          | SAME",
      ">=10.0.0         | >=3.0.0,<20.0.0  | PARTIAL",
      ">=25.1.0         | >=3.0.0,<20.0.0  | DISJOINT",
      "<1.0.0           | >=1.0.0          | DISJOINT",
      "<=1.0.0          | >=1.0.0          | PARTIAL"
  })
  @DisplayName("relations are computed exactly on sets of versions, far beyond 2.x")
  void relations(String newer, String older, RangeRelation expected) {
    assertThat(relation(newer == null ? "" : newer, older == null ? "" : older)).isEqualTo(expected);
  }

  @Test
  @DisplayName("touching intervals merge into one, so equal sets compare equal whatever their spelling")
  void canonicalForm() {
    VersionRange split = VersionRange.parse("<2.0.0").union(VersionRange.parse(">=2.0.0"));
    assertThat(split.sameSetAs(VersionRange.any())).isTrue();
  }

  @Test
  @DisplayName("membership follows semver order, pre-releases included")
  void contains() {
    VersionRange range = VersionRange.parse(">=1.0.0,<2.0.0");
    assertThat(range.contains("1.0.0")).isTrue();
    assertThat(range.contains("1.99.99")).isTrue();
    assertThat(range.contains("2.0.0-rc.1")).isTrue();
    assertThat(range.contains("2.0.0")).isFalse();
    assertThat(range.contains("0.9.9")).isFalse();
  }

  @Test
  @DisplayName("a contradiction parses to the empty set; malformed text gets the validator's message")
  void emptyAndMalformed() {
    assertThat(VersionRange.parse(">=2.0.0,<1.0.0").isEmpty()).isTrue();
    assertThatThrownBy(() -> VersionRange.parse(">=1.0.0;<2.0.0"))
        .hasMessage("Invalid kamiwaza_version format: >=1.0.0;<2.0.0 (expected format like '>=0.8.0' or"
            + " '>=0.8.0,<1.0.0')");
  }
}
