package io.garden.registry.promote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.model.Stage;
import io.garden.registry.Entries;
import io.garden.registry.IndexEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String API = "localhost:5000/kamiwazaai/notes-api";

  private static IndexEntry stageEntry(String version, String image) {
    ObjectNode tree = Entries.tree("notes", version, ">=0.8.0");
    tree.put("compose_yml", "services:\n  api:\n    image: " + image + "\n  db:\n    image: postgres:16\n");
    tree.putArray("docker_images").add(image).add("postgres:16");
    return IndexEntry.of(tree);
  }

  @Test
  @DisplayName("prod gets the entry tested on stage: its own images keep their digest under the prod tag")
  void ownImagesKeepTheirDigest() {
    IndexEntry tested = stageEntry("1.2.0", API + ":1.2.0-stage@" + DIGEST);

    Promotion p = Promotion.plan("apps.json", "notes", List.of(tested), Optional.empty(), Stage.STAGE, Stage.PROD);

    assertThat(p.moves()).singleElement().satisfies(m -> {
      assertThat(m.source().toString()).isEqualTo(API + ":1.2.0-stage@" + DIGEST);
      assertThat(m.target().toString()).isEqualTo(API + ":1.2.0@" + DIGEST);
    });
    ObjectNode promoted = p.entry().tree();
    assertThat(promoted.get("compose_yml").asText()).contains("image: " + API + ":1.2.0@" + DIGEST)
        .contains("image: postgres:16").doesNotContain("-stage");
    assertThat(promoted.get("docker_images")).extracting(n -> n.asText())
        .containsExactly(API + ":1.2.0@" + DIGEST, "postgres:16");
    ObjectNode expected = tested.tree();
    expected.put("compose_yml", promoted.get("compose_yml").asText()).set("docker_images",
        promoted.get("docker_images"));
    assertThat(promoted).as("nothing else of the tested entry changes").isEqualTo(expected);
    assertThat(p.entry().version()).isEqualTo("1.2.0");
    assertThat(p.entry().rangeText()).isEqualTo(">=0.8.0");
  }

  @Test
  @DisplayName("the newest published version is promoted unless one is named")
  void newestUnlessNamed() {
    List<IndexEntry> published = List.of(stageEntry("1.10.0", API + ":1.10.0-stage@" + DIGEST),
        stageEntry("1.9.0", API + ":1.9.0-stage@" + DIGEST));

    assertThat(Promotion.plan("apps.json", "notes", published, Optional.empty(), Stage.STAGE, Stage.PROD).entry()
        .version()).isEqualTo("1.10.0");
    assertThat(Promotion.plan("apps.json", "notes", published, Optional.of("1.9.0"), Stage.STAGE, Stage.PROD)
        .entry().version()).isEqualTo("1.9.0");
    assertThatThrownBy(() -> Promotion.plan("apps.json", "notes", published, Optional.of("2.0.0"), Stage.STAGE,
        Stage.PROD)).hasMessage("Error: notes 2.0.0 is not published on stage (published: 1.10.0, 1.9.0)");
  }

  @Test
  @DisplayName("an image not pinned by the from-stage's digest is refused: nothing says what was tested")
  void unpinnedIsRefused() {
    IndexEntry unpinned = stageEntry("1.2.0", API + ":1.2.0-stage");
    IndexEntry otherTag = stageEntry("1.2.0", API + ":1.2.0-dev@" + DIGEST);

    assertThatThrownBy(() -> Promotion.plan("apps.json", "notes", List.of(unpinned), Optional.empty(), Stage.STAGE,
        Stage.PROD)).hasMessageContaining("is not pinned as " + API + ":1.2.0-stage@sha256:…")
        .hasMessageContaining("garden push --stage stage");
    assertThatThrownBy(() -> Promotion.plan("apps.json", "notes", List.of(otherTag), Optional.empty(), Stage.STAGE,
        Stage.PROD)).hasMessageContaining("is not pinned as");
  }

  @Test
  @DisplayName("promote goes forward only, and needs something published")
  void forwardAndPublished() {
    IndexEntry tested = stageEntry("1.2.0", API + ":1.2.0-stage@" + DIGEST);

    assertThatThrownBy(() -> Promotion.plan("apps.json", "notes", List.of(tested), Optional.empty(), Stage.PROD,
        Stage.STAGE)).hasMessage("Error: promote goes forward, dev → stage → prod; prod → stage is not");
    assertThatThrownBy(() -> Promotion.plan("apps.json", "notes", List.of(tested), Optional.empty(), Stage.STAGE,
        Stage.STAGE)).hasMessageContaining("promote goes forward");
    assertThatThrownBy(() -> Promotion.plan("apps.json", "other", List.of(tested), Optional.empty(), Stage.STAGE,
        Stage.PROD)).hasMessage("Error: nothing named other is published on stage; publish it there first"
        + " (garden publish-registry --stage stage)");
  }

  @Test
  @DisplayName("dev can go straight to prod: the -dev tag becomes the bare version")
  void devToProd() {
    IndexEntry tested = stageEntry("1.2.0", API + ":1.2.0-dev@" + DIGEST);

    Promotion p = Promotion.plan("apps.json", "notes", List.of(tested), Optional.empty(), Stage.DEV, Stage.PROD);

    assertThat(p.moves().get(0).target().tag()).isEqualTo("1.2.0");
  }
}
