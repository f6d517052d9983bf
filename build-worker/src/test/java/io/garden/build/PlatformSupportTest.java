package io.garden.build;

import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformSupportTest {

  @TempDir
  Path binfmt;

  @Test
  @DisplayName("its own platform is native; another is emulated when QEMU is registered and enabled, else missing")
  void howEachPlatformIsBuilt() throws Exception {
    PlatformSupport support = new PlatformSupport(Platform.parse("linux/amd64"), binfmt);
    Platform arm64 = Platform.parse("linux/arm64");

    assertThat(support.how(Platform.parse("linux/amd64"))).isEqualTo(PlatformSupport.How.NATIVE);
    assertThat(support.how(arm64)).isEqualTo(PlatformSupport.How.MISSING);
    Files.writeString(binfmt.resolve("qemu-aarch64"), "disabled\ninterpreter /usr/libexec/qemu-binfmt/x\n");
    assertThat(support.how(arm64)).isEqualTo(PlatformSupport.How.MISSING);
    Files.writeString(binfmt.resolve("qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/x\n");
    assertThat(support.how(arm64)).isEqualTo(PlatformSupport.How.EMULATED);
    assertThat(support.describe(arm64)).isEqualTo("emulated (qemu-aarch64)");
  }

  @Test
  @DisplayName("a push that needs a platform nobody here can build is refused before it builds, with the apt command")
  void missingEmulatorIsSaidUpFront() {
    PlatformSupport support = new PlatformSupport(Platform.parse("linux/amd64"), binfmt);

    assertThatThrownBy(() -> support.requireAll(Platforms.forPush(Map.of())))
        .hasMessageStartingWith("linux/arm64 cannot be built on this machine (linux/amd64)")
        .hasMessageContaining("apt-get install qemu-user-static binfmt-support")
        .hasMessageContaining("GARDEN_PLATFORMS=linux/amd64");
  }
}
