package io.garden.build;

import io.garden.common.platform.Platform;
import io.garden.common.platform.Platforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which platforms this machine's engine builds, and how: its own natively; another by emulation when QEMU is
 * registered for it in binfmt_misc (what {@code apt-get install qemu-user-static binfmt-support} does), so the
 * kernel runs that platform's binaries in a build's RUN steps. Read from the engine's host, which is this machine
 * for a local socket.
 */
public record PlatformSupport(Platform nativePlatform, Path binfmt) {

  public static final Path BINFMT = Path.of("/proc/sys/fs/binfmt_misc");

  /** How {@code platform} is built here. */
  public enum How {
    NATIVE, EMULATED, MISSING
  }

  public How how(Platform platform) {
    if (platform.equals(nativePlatform)) {
      return How.NATIVE;
    }
    return emulator(platform).isPresent() ? How.EMULATED : How.MISSING;
  }

  /** The binfmt_misc entry that runs {@code platform}'s binaries, when it is there and enabled. */
  public Optional<Path> emulator(Platform platform) {
    Path entry = binfmt.resolve("qemu-" + platform.qemuName());
    try {
      return Files.isRegularFile(entry) && Files.readAllLines(entry).stream().findFirst()
          .filter(line -> line.strip().equals("enabled")).isPresent() ? Optional.of(entry) : Optional.empty();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** In words, for doctor and the build's progress: "native", "emulated (qemu-aarch64)", "missing". */
  public String describe(Platform platform) {
    return switch (how(platform)) {
      case NATIVE -> "native";
      case EMULATED -> "emulated (qemu-" + platform.qemuName() + ")";
      case MISSING -> "missing";
    };
  }

  /**
   * @throws IllegalStateException naming each platform this machine cannot build, and how to fix it, before anything
   *                               is built: a push never stops halfway for want of an emulator
   */
  public void requireAll(Platforms wanted) {
    List<Platform> missing = wanted.list().stream().filter(p -> how(p) == How.MISSING).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(String.join(", ", missing.stream().map(Platform::wire).toList())
          + " cannot be built on this machine (" + nativePlatform.wire() + "): no emulator is registered for it in "
          + binfmt + " (qemu-" + missing.get(0).qemuName() + "). Install one: apt-get install qemu-user-static"
          + " binfmt-support; or push only this machine's platform: GARDEN_PLATFORMS=" + nativePlatform.wire());
    }
  }
}
