package io.garden.common.platform;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformsTest {

  @Test
  @DisplayName("a push builds linux/amd64 and linux/arm64 unless GARDEN_PLATFORMS, else the old PLATFORMS, says")
  void settingsInOrder() {
    assertThat(Platforms.forPush(Map.of()).wire()).isEqualTo("linux/amd64,linux/arm64");
    assertThat(Platforms.forPush(Map.of("PLATFORMS", "linux/arm64")).wire()).isEqualTo("linux/arm64");
    assertThat(Platforms.forPush(Map.of("PLATFORMS", "linux/arm64", "GARDEN_PLATFORMS", " linux/amd64 , "))
        .wire()).isEqualTo("linux/amd64");
    assertThat(Platforms.parse("linux/amd64,linux/amd64,linux/arm64/v8", "X").wire())
        .isEqualTo("linux/amd64,linux/arm64");
  }

  @Test
  @DisplayName("a platform garden does not know is refused, naming the setting and the known ones")
  void typosAreRefused() {
    assertThatThrownBy(() -> Platforms.forPush(Map.of("GARDEN_PLATFORMS", "linux/amd64,linux/arm65")))
        .hasMessageStartingWith("GARDEN_PLATFORMS: unknown platform 'linux/arm65'").hasMessageContaining("linux/arm64");
    assertThatThrownBy(() -> Platforms.parse(" , ", "PLATFORMS")).hasMessageContaining("PLATFORMS names no platform");
  }

  @Test
  @DisplayName("a service's build.platforms narrows the push; with nothing in common it says what to set")
  void servicesNarrowThePush() {
    Platforms both = Platforms.forPush(Map.of());
    assertThat(both.narrowedTo(null, "api")).isEqualTo(both);
    assertThat(both.narrowedTo(List.of("linux/amd64"), "api").wire()).isEqualTo("linux/amd64");
    assertThatThrownBy(() -> Platforms.parse("linux/arm64", "X").narrowedTo(List.of("linux/amd64"), "api"))
        .hasMessageContaining("service api builds for linux/amd64 only").hasMessageContaining("GARDEN_PLATFORMS");
  }

  @Test
  @DisplayName("machine architectures map to platforms, tag suffixes and QEMU's names")
  void namesOfAPlatform() {
    assertThat(Platform.ofArch("x86_64")).isEqualTo(Platform.parse("linux/amd64"));
    assertThat(Platform.ofArch("aarch64").qemuName()).isEqualTo("aarch64");
    assertThat(Platform.parse("linux/arm/v7").tagSuffix()).isEqualTo("linux-arm-v7");
    assertThat(Platforms.only(Platform.parse("linux/amd64")).isOnly(Platform.ofArch("amd64"))).isTrue();
  }
}
