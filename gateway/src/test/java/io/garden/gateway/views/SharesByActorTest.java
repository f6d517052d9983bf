package io.garden.gateway.views;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharesByActorTest {

  private final SharesByActor shares = new SharesByActor();

  @Test
  @DisplayName("each principal's count follows its pipelines coming and going")
  void countsFollowAddsAndRemoves() {
    shares.add("p-1", "api:ann");
    shares.add("p-2", "api:ann");
    shares.add("p-3", "api:bob");
    shares.remove("p-1");

    assertThat(shares.count("api:ann")).isEqualTo(1);
    assertThat(shares.count("api:bob")).isEqualTo(1);
    assertThat(shares.count("api:eve")).isZero();
  }

  @Test
  @DisplayName("a pipeline added twice counts once, and moves to its newest principal")
  void aPipelineCountsOnce() {
    shares.add("p-1", "api:ann");
    shares.add("p-1", "api:ann");
    shares.add("p-2", "api:ann");
    shares.add("p-2", "api:bob");

    assertThat(shares.count("api:ann")).isEqualTo(1);
    assertThat(shares.count("api:bob")).isEqualTo(1);
  }

  @Test
  @DisplayName("removing what was never added, or a pipeline with no principal, changes nothing")
  void unknownRemovalsAreHarmless() {
    shares.add("p-1", null);
    shares.add("p-2", "api:ann");
    shares.remove("p-1");
    shares.remove("p-9");
    shares.remove("p-2");
    shares.remove("p-2");

    assertThat(shares.count("api:ann")).isZero();
  }
}
