package io.garden.gateway.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharesTest {

  @Test
  @DisplayName("one holder cannot take more than its share, and what it leaves is still there for others")
  void oneHolderCannotTakeEverything() {
    Shares shares = new Shares(10, 4);
    assertThat(shares.take("mallory", 4)).isEqualTo(Shares.Outcome.TAKEN);
    assertThat(shares.take("mallory", 1)).isEqualTo(Shares.Outcome.HOLDER_FULL);
    assertThat(shares.take("alice", 4)).isEqualTo(Shares.Outcome.TAKEN);
    assertThat(shares.take("bob", 4)).as("only 2 left in all").isEqualTo(Shares.Outcome.TOTAL_FULL);
    assertThat(shares.take("bob", 2)).isEqualTo(Shares.Outcome.TAKEN);
    assertThat(shares.used()).isEqualTo(10);
  }

  @Test
  @DisplayName("what is given back can be taken again; giving back more than was held changes nothing more")
  void givingBack() {
    Shares shares = new Shares(10, 4);
    shares.take("a", 3);
    shares.give("a", 5);
    assertThat(shares.used()).isZero();
    assertThat(shares.heldBy("a")).isZero();
    assertThat(shares.take("a", 4)).isEqualTo(Shares.Outcome.TAKEN);
    shares.give("nobody", 3);
    assertThat(shares.used()).isEqualTo(4);
  }
}
