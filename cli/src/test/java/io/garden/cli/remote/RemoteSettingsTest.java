package io.garden.cli.remote;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RemoteSettingsTest {

  @Test
  @DisplayName("GARDEN_URL without a scheme is refused with the way to write it, not a parser's message")
  void addressesAreCheckedWhenRead() {
    assertThat(RemoteSettings.fromEnv(Map.of("GARDEN_URL", " https://garden.example:8443/ ")).url())
        .hasValue("https://garden.example:8443/");
    assertThatThrownBy(() -> RemoteSettings.fromEnv(Map.of("GARDEN_URL", "127.0.0.1:19400")))
        .hasMessage("Error: GARDEN_URL=127.0.0.1:19400 is not an address garden can call: write it as"
            + " http://127.0.0.1:19400 (http:// or https://, the gateway's host and port)");
    assertThatThrownBy(() -> RemoteSettings.fromEnv(Map.of("GARDEN_URL", "ftp://host")))
        .hasMessageContaining("write it as http://HOST:PORT");
    assertThatThrownBy(() -> new RemoteSettings(java.util.Optional.empty(), java.util.Optional.of("t"))
        .client("localhost 8080")).hasMessageContaining("--remote=localhost 8080");
  }
}
