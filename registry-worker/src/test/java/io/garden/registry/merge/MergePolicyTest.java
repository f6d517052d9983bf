package io.garden.registry.merge;

import io.garden.registry.Entries;
import io.garden.registry.IndexEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the SPEC §7 decision table, plus force, idempotence and determinism. */
class MergePolicyTest {

  private static IndexEntry entry(String name, String version, String range) {
    return Entries.entry(name, version, range);
  }

  private static MergePlan merge(List<IndexEntry> remote, IndexEntry incoming) {
    return MergePolicy.merge(remote, List.of(incoming), Set.of());
  }

  private static List<String> versionsOf(MergePlan plan, String name) {
    return plan.merged().stream().filter(e -> e.name().equals(name))
        .map(e -> e.version() + "@" + e.rangeText()).toList();
  }

  @Test
  @DisplayName("no remote entry: INSERT")
  void insertNew() {
    MergePlan plan = merge(List.of(entry("other", "1.0.0", ">=0.8.0")), entry("notes", "1.0.0", ">=0.8.0"));

    assertThat(plan.decisions()).singleElement().extracting(Decision::action).isEqualTo(Action.INSERT);
    assertThat(plan.merged()).extracting(IndexEntry::name).containsExactly("notes", "other");
  }

  @Test
  @DisplayName("a platform range disjoint from every remote one: INSERT alongside (coexist)")
  void insertDisjoint() {
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=1.0.0,<2.0.0")), entry("notes", "2.0.0", ">=2.0.0"));

    assertThat(plan.decisions()).singleElement().extracting(Decision::action).isEqualTo(Action.INSERT);
    assertThat(versionsOf(plan, "notes")).containsExactly("1.0.0@>=1.0.0,<2.0.0", "2.0.0@>=2.0.0");
  }

  @Test
  @DisplayName("a newer version with the same range replaces the old entry")
  void replaceNewer() {
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=0.8.0")), entry("notes", "1.1.0", ">=0.8"));

    assertThat(plan.decisions()).singleElement().satisfies(d -> {
      assertThat(d.action()).isEqualTo(Action.REPLACE);
      assertThat(d.replaces()).containsExactly("1.0.0 (>=0.8.0)");
    });
    assertThat(versionsOf(plan, "notes")).containsExactly("1.1.0@>=0.8");
  }

  @Test
  @DisplayName("the same version with other content in the same range: FAIL, cannot mutate")
  void failMutate() {
    IndexEntry changed = IndexEntry.of(Entries.tree("notes", "1.0.0", ">=0.8.0").put("description", "changed"));
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=0.8.0")), changed);

    assertThat(plan.failures()).singleElement().extracting(Decision::message)
        .isEqualTo("Cannot mutate existing version 1.0.0");
    assertThat(plan.merged()).containsExactly(entry("notes", "1.0.0", ">=0.8.0"));
  }

  @Test
  @DisplayName("an older version in the same range: FAIL, cannot downgrade")
  void failDowngrade() {
    MergePlan plan = merge(List.of(entry("notes", "1.2.0", ">=0.8.0")), entry("notes", "1.1.9", ">=0.8.0"));

    assertThat(plan.failures()).singleElement().extracting(Decision::message)
        .isEqualTo("Cannot downgrade from 1.2.0 to 1.1.9");
  }

  @Test
  @DisplayName("a strict superset range replaces")
  void replaceSuperset() {
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=4.0.0")), entry("notes", "1.0.1", ">=3.0.0"));

    assertThat(plan.decisions()).singleElement().extracting(Decision::action).isEqualTo(Action.REPLACE);
    assertThat(versionsOf(plan, "notes")).containsExactly("1.0.1@>=3.0.0");
  }

  @Test
  @DisplayName("a strict subset range: FAIL, cannot narrow")
  void failNarrow() {
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=3.0.0")), entry("notes", "1.0.1", ">=4.0.0"));

    assertThat(plan.failures()).singleElement().extracting(Decision::message)
        .isEqualTo("Cannot narrow kamiwaza_version from >=3.0.0 to >=4.0.0");
  }

  @Test
  @DisplayName("a partly overlapping range: FAIL, needs manual resolution")
  void failPartial() {
    MergePlan plan = merge(List.of(entry("notes", "1.0.0", ">=1.0.0,<3.0.0")),
        entry("notes", "1.0.1", ">=2.0.0,<4.0.0"));

    assertThat(plan.failures()).singleElement().extracting(Decision::message)
        .isEqualTo("Partial overlap between >=1.0.0,<3.0.0 and >=2.0.0,<4.0.0 requires manual resolution");
  }

  @Test
  @DisplayName("one FAIL fails the whole publish: the merged index is the remote one, unchanged")
  void oneFailureFailsAll() {
    List<IndexEntry> remote = List.of(entry("a", "1.0.0", ">=1.0.0"), entry("b", "2.0.0", ">=1.0.0"));
    MergePlan plan = MergePolicy.merge(remote,
        List.of(entry("a", "1.1.0", ">=1.0.0"), entry("b", "1.0.0", ">=1.0.0"), entry("c", "1.0.0", null)),
        Set.of());

    assertThat(plan.failed()).isTrue();
    assertThat(plan.decisions()).extracting(Decision::action)
        .containsExactly(Action.REPLACE, Action.FAIL, Action.INSERT);
    assertThat(plan.merged()).isEqualTo(remote);
  }

  @Test
  @DisplayName("publishing the same registry twice is a no-op success, not a failure")
  void idempotentRepublish() {
    List<IndexEntry> local = List.of(entry("a", "1.0.0", ">=1.0.0"), entry("b", "1.0.0", null));
    MergePlan first = MergePolicy.merge(List.of(), local, Set.of());
    MergePlan second = MergePolicy.merge(first.merged(), local, Set.of());

    assertThat(second.failed()).isFalse();
    assertThat(second.noChange()).isTrue();
    assertThat(second.merged()).isEqualTo(first.merged());
  }

  @Test
  @DisplayName("force replaces every remote entry of the name, whatever the table says")
  void force() {
    List<IndexEntry> remote = List.of(entry("a", "3.0.0", ">=1.0.0,<2.0.0"), entry("a", "4.0.0", ">=2.0.0"),
        entry("b", "1.0.0", null));
    MergePlan plan = MergePolicy.merge(remote, List.of(entry("a", "1.0.0", ">=1.5.0")), Set.of("a"));

    assertThat(plan.decisions()).singleElement().satisfies(d -> {
      assertThat(d.action()).isEqualTo(Action.FORCE);
      assertThat(d.replaces()).hasSize(2);
    });
    assertThat(versionsOf(plan, "a")).containsExactly("1.0.0@>=1.5.0");
    assertThat(versionsOf(plan, "b")).hasSize(1);
  }

  @Test
  @DisplayName("the merged index is sorted by name then version, whatever the input order")
  void deterministic() {
    List<IndexEntry> remote = List.of(entry("z", "1.0.0", null), entry("m", "2.0.0", ">=2.0.0"));
    List<IndexEntry> local = List.of(entry("m", "1.0.0", "<2.0.0"), entry("a", "1.0.0", null));
    MergePlan one = MergePolicy.merge(remote, local, Set.of());
    MergePlan two = MergePolicy.merge(List.of(remote.get(1), remote.get(0)), List.of(local.get(1), local.get(0)),
        Set.of());

    assertThat(one.merged()).isEqualTo(two.merged());
    assertThat(one.merged()).extracting(e -> e.name() + e.version())
        .containsExactly("a1.0.0", "m1.0.0", "m2.0.0", "z1.0.0");
  }

  @Test
  @DisplayName("two local entries of one name with overlapping ranges are refused")
  void localDuplicates() {
    MergePlan plan = MergePolicy.merge(List.of(),
        List.of(entry("a", "1.0.0", ">=1.0.0"), entry("a", "2.0.0", ">=1.5.0")), Set.of());

    assertThat(plan.failures()).singleElement().extracting(Decision::message).asString()
        .startsWith("Two local entries named a overlap");
  }

  private static IndexEntry withImage(String image) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = Entries.tree("notes", "1.0.0", ">=0.8.0");
    tree.put("image", image);
    tree.put("compose_yml", "services:\n  api:\n    image: " + image + "\n");
    tree.putArray("docker_images").add(image);
    return IndexEntry.of(tree);
  }

  @Test
  @DisplayName("the same version named pinned on one side and not on the other is UNCHANGED; two different digests"
      + " under one version still FAIL")
  void pinFormAloneChangesNothing() {
    String digestA = "sha256:" + "a".repeat(64);
    String digestB = "sha256:" + "b".repeat(64);
    IndexEntry pinnedA = withImage("localhost:5000/kamiwazaai/notes-api:1.0.0@" + digestA);
    IndexEntry unpinned = withImage("kamiwazaai/notes-api:1.0.0");
    IndexEntry pinnedB = withImage("localhost:5000/kamiwazaai/notes-api:1.0.0@" + digestB);

    assertThat(merge(List.of(pinnedA), unpinned).decisions()).singleElement().extracting(Decision::action)
        .isEqualTo(Action.UNCHANGED);
    assertThat(merge(List.of(unpinned), pinnedA).decisions()).singleElement().extracting(Decision::action)
        .isEqualTo(Action.UNCHANGED);
    assertThat(merge(List.of(pinnedA), pinnedB).decisions()).singleElement().extracting(Decision::action)
        .isEqualTo(Action.FAIL);
    assertThat(merge(List.of(pinnedA), withImage("kamiwazaai/notes-web:1.0.0")).decisions()).singleElement()
        .extracting(Decision::action).as("another image is another entry").isEqualTo(Action.FAIL);
  }
}
