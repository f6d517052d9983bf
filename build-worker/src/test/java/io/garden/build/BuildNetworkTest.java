package io.garden.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuildNetworkTest {

  @Test
  @DisplayName("Docker gets the network's name; Podman gets its build API's policy words, which it honours")
  void eachEngineInItsOwnWords() {
    List<String> docker = List.of("Engine", "containerd", "runc");
    List<String> podman = List.of("Podman Engine", "Conmon", "OCI Runtime (runc)");

    assertThat(BuildNetwork.parameter("none", docker)).isEqualTo("none");
    assertThat(BuildNetwork.parameter("host", docker)).isEqualTo("host");
    assertThat(BuildNetwork.parameter("none", podman)).isEqualTo("NetworkDisabled");
    assertThat(BuildNetwork.parameter("host", podman)).isEqualTo("NetworkEnabled");
    assertThat(BuildNetwork.parameter(null, podman)).isNull();
  }
}
