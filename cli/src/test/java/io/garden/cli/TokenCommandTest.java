package io.garden.cli;

import io.garden.gateway.intake.ApiCredentials;
import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Principal;
import io.garden.gateway.intake.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTest {

  @TempDir
  Path temp;

  private Map<String, String> env() {
    return Map.of("GARDEN_HOST", "test", "GARDEN_API_TOKENS_FILE", temp.resolve("tokens.json").toString());
  }

  @Test
  @DisplayName("create prints the secret once (and only the secret on stdout); list shows names and roles, never a"
      + " secret; revoke removes it")
  void createListRevoke() throws Exception {
    CliRun created = CliRun.of(env(), "token", "create", "ci-bot", "--roles", "run,publish:dev");

    assertThat(created.exitCode()).as(created.err()).isZero();
    String secret = created.out().trim();
    assertThat(secret).startsWith("gdn_").doesNotContain("\n");
    assertThat(created.err()).contains("Created ci-bot (run,publish:dev)", "shown only now");
    Principal who = new ApiCredentials(new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC()).list(),
        Optional.empty()).authenticate(secret).orElseThrow();
    assertThat(who.actor()).isEqualTo("api:ci-bot");
    assertThat(who.roles()).containsExactlyInAnyOrder(Role.RUN, Role.PUBLISH_DEV);

    CliRun listed = CliRun.of(env(), "token", "list");
    assertThat(listed.out()).contains("ci-bot", "run,publish:dev").doesNotContain(secret.substring(4));
    assertThat(Files.readString(temp.resolve("tokens.json"))).doesNotContain(secret.substring(4));

    assertThat(CliRun.of(env(), "token", "revoke", "ci-bot").exitCode()).isZero();
    assertThat(CliRun.of(env(), "token", "list").out()).contains("No credentials");
  }

  @Test
  @DisplayName("mistakes are usage errors that say what to do: no file, an unknown role, a name taken")
  void mistakes() {
    CliRun noFile = CliRun.of(Map.of("GARDEN_HOST", "test"), "token", "list");
    assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noFile.err()).contains("GARDEN_API_TOKENS_FILE", "--file");

    CliRun badRole = CliRun.of(env(), "token", "create", "x", "--roles", "deploy");
    assertThat(badRole.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badRole.err()).contains("unknown role 'deploy'", "publish:prod");

    CliRun.of(env(), "token", "create", "x", "--roles", "read");
    CliRun taken = CliRun.of(env(), "token", "create", "x", "--roles", "read");
    assertThat(taken.err()).contains("exists already", "garden token revoke x");
  }
}
