package io.garden.common.platform;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One image platform, as the OCI image index and {@code docker buildx --platform} name it: {@code linux/amd64},
 * {@code linux/arm64}, {@code linux/arm/v7}.
 */
public record Platform(String os, String architecture, String variant) {

  private static final Pattern WIRE = Pattern.compile("([a-z0-9]+)/([a-z0-9_]+)(?:/([a-z0-9]+))?");

  /** Those a Kamiwaza cluster runs on, and the other Linux platforms buildx knows: a typo is refused. */
  public static final List<String> KNOWN = List.of("linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6",
      "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64");

  public Platform {
    if (variant != null && variant.isEmpty()) {
      variant = null;
    }
  }

  /**
   * @throws IllegalArgumentException naming the value and the platforms garden knows
   */
  public static Platform parse(String value) {
    String given = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    // arm64 has one variant (v8) worth nothing to say: linux/arm64/v8 is linux/arm64.
    if (given.equals("linux/arm64/v8")) {
      given = "linux/arm64";
    }
    var m = WIRE.matcher(given);
    if (!m.matches() || !KNOWN.contains(given)) {
      throw new IllegalArgumentException("unknown platform '" + value + "': use os/architecture, one of "
          + String.join(", ", KNOWN));
    }
    return new Platform(m.group(1), m.group(2), m.group(3));
  }

  /** The platform of a machine whose {@code os.arch} (or engine {@code Arch}) is {@code arch}. */
  public static Platform ofArch(String arch) {
    String a = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> new Platform("linux", "amd64", null);
      case "arm64", "aarch64" -> new Platform("linux", "arm64", null);
      case "arm", "armv7l" -> new Platform("linux", "arm", "v7");
      case "ppc64le", "s390x", "riscv64", "386" -> new Platform("linux", a, null);
      default -> throw new IllegalArgumentException("unknown machine architecture '" + arch + "'");
    };
  }

  /** What QEMU calls this architecture ({@code qemu-aarch64}): the emulator that builds it elsewhere. */
  public String qemuName() {
    return switch (architecture) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "386" -> "i386";
      case "ppc64le" -> "ppc64le";
      default -> architecture;
    };
  }

  /** {@code linux/arm64}, as settings, the build API and the index name it. */
  public String wire() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }

  /** {@code linux-arm64}: the tag suffix of this platform's image beside the index. */
  public String tagSuffix() {
    return wire().replace('/', '-');
  }

  @Override
  public String toString() {
    return wire();
  }
}
