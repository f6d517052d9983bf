package io.garden.common.images;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePinsTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);

  @Test
  @DisplayName("a tag in the registry is pinned there, with the registry's host; a missing one is not pushed")
  void pinnedOrNotPushed() {
    ImagePins pins = new ImagePins("registry.example:5000/", ref -> ref.tag().equals("1.0.0")
        ? Optional.of(DIGEST) : Optional.empty());

    assertThat(pins.resolve("kamiwazaai/x:1.0.0"))
        .isEqualTo(new ImagePins.Pin.Pinned("registry.example:5000/kamiwazaai/x:1.0.0@" + DIGEST));
    assertThat(pins.resolve("kamiwazaai/x:2.0.0"))
        .isEqualTo(new ImagePins.Pin.NotPushed("registry.example:5000/kamiwazaai/x:2.0.0"));
  }

  @Test
  @DisplayName("each tag is asked once; once the registry cannot be reached, no other tag waits for it")
  void askedOnceAndUnreachableOnce() {
    AtomicInteger asked = new AtomicInteger();
    ImagePins pins = new ImagePins("down.example", ref -> {
      asked.incrementAndGet();
      throw new IllegalStateException("cannot reach registry down.example for " + ref + ": refused");
    });

    assertThat(pins.resolve("kamiwazaai/x:1.0.0")).isInstanceOf(ImagePins.Pin.Unknown.class);
    assertThat(pins.resolve("kamiwazaai/x:1.0.0")).isInstanceOf(ImagePins.Pin.Unknown.class);
    assertThat(pins.resolve("kamiwazaai/y:1.0.0")).isInstanceOf(ImagePins.Pin.Unknown.class);
    assertThat(asked).hasValue(1);
    assertThat(ImagePins.of(null).configured()).isFalse();
  }
}
