package io.garden.cli;

import io.garden.gateway.GatewayConfig;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the services listen, and what doctor says about credentials, before anything starts. */
class SecureDefaultsTest {

  @TempDir
  Path temp;

  @Test
  @DisplayName("garden up listens on loopback unless GARDEN_BIND or --bind says otherwise; garden gateway on every"
      + " interface, as a service reached from elsewhere")
  void bindDefaults() {
    NodeOptions up = new NodeOptions();
    up.repos.add(temp);
    assertThat(up.gateway(Map.of(), 0).bind()).isEqualTo("127.0.0.1");
    assertThat(up.gateway(Map.of("GARDEN_BIND", "0.0.0.0"), 0).bind()).isEqualTo("0.0.0.0");
    up.bind = "10.1.2.3";
    assertThat(up.gateway(Map.of("GARDEN_BIND", "0.0.0.0"), 0).bind()).isEqualTo("10.1.2.3");

    assertThat(new NodeOptions().gatewayNamedOnly(Map.of(), 0).bind()).isEqualTo(GatewayConfig.EVERY_INTERFACE);
    assertThat(new NodeOptions().gatewayNamedOnly(Map.of("GARDEN_BIND", "127.0.0.1"), 0).bind())
        .isEqualTo("127.0.0.1");
  }

  @Test
  @DisplayName("doctor warns about the shared GARDEN_API_TOKEN with the way out, and not about a named credential")
  void doctorOnCredentials() {
    DoctorCommand.Finding shared = DoctorCommand.credentials(Map.of("GARDEN_API_TOKEN", "one-for-all"));
    assertThat(shared.status()).isEqualTo("WARN");
    assertThat(shared.failed()).isFalse();
    assertThat(shared.detail()).contains("shared admin credential", "api:shared-token");
    assertThat(shared.fix()).contains("garden token create", "GARDEN_API_TOKENS_FILE");

    Path file = temp.resolve("tokens.json");
    String secret = new CredentialFile(file, Clock.systemUTC()).create("ci", EnumSet.of(Role.RUN));
    assertThat(DoctorCommand.credentials(Map.of("GARDEN_API_TOKEN", secret)).status()).isEqualTo("OK");
    DoctorCommand.Finding named = DoctorCommand.credentials(Map.of("GARDEN_API_TOKENS_FILE", file.toString()));
    assertThat(named.status()).isEqualTo("OK");
    assertThat(named.detail()).contains("1 named credential");
  }

  @Test
  @DisplayName("under CI=true, ci-pipeline without a container engine fails (exit 1) saying why, before starting"
      + " anything (--allow-no-engine runs it anyway)")
  void ciWithoutEngineFails() throws Exception {
    Path repo = CliRun.copyOfExamples(java.nio.file.Files.createDirectories(temp.resolve("repo")));
    Map<String, String> env = Map.of("GARDEN_HOST", "test", "CI", "true",
        "DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));

    CliRun run = CliRun.of(env, "ci-pipeline", "--repo", repo.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(run.err()).contains("no container engine at DOCKER_HOST=", "(CI=true)", "--allow-no-engine");
    assertThat(run.out()).doesNotContain("Starting garden");
  }
}
