package io.garden.build;

import java.util.List;

/**
 * The build API's {@code networkmode} for a RUN step's network, in the words of the engine behind it. Docker names
 * a network ({@code none}, {@code host}). Podman's compatible API reads the same parameter as buildah's network
 * policy ({@code NetworkDisabled}, {@code NetworkEnabled}) and takes any other word as "the default", which there is
 * the host's network: sent {@code none}, a test stage's RUN steps reached the network they were meant not to have.
 */
public final class BuildNetwork {

  private BuildNetwork() {
  }

  /**
   * @param network    what the RUN steps should get: {@code none}, {@code host}, or null for the engine's default
   * @param components the names of the engine's components, as {@code GET /version} lists them
   */
  public static String parameter(String network, List<String> components) {
    boolean podman = components.stream().anyMatch(name -> name != null && name.startsWith("Podman"));
    if (network == null || !podman) {
      return network;
    }
    return switch (network) {
      case "none" -> "NetworkDisabled";
      case "host" -> "NetworkEnabled";
      default -> network;
    };
  }
}
