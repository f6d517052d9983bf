package io.garden.gateway.intake;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialFileTest {

  @TempDir
  Path temp;

  private CredentialFile file() {
    return new CredentialFile(temp.resolve("tokens.json"), Clock.systemUTC());
  }

  @Test
  @DisplayName("a created credential authenticates as api:NAME with its roles; the file keeps a hash, not the secret")
  void createdCredentialAuthenticates() throws Exception {
    CredentialFile file = file();
    String secret = file.create("ci-bot", EnumSet.of(Role.RUN, Role.PUBLISH_DEV));

    assertThat(secret).startsWith("gdn_").hasSizeGreaterThan(40);
    String stored = Files.readString(file.path());
    assertThat(stored).doesNotContain(secret.substring(4)).contains("ci-bot", "publish:dev", "run");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    Principal who = new ApiCredentials(file.list(), Optional.empty()).authenticate(secret).orElseThrow();
    assertThat(who.actor()).isEqualTo("api:ci-bot");
    assertThat(who.door()).isEqualTo(Door.API);
    assertThat(who.roles()).containsExactlyInAnyOrder(Role.RUN, Role.PUBLISH_DEV);
  }

  @Test
  @DisplayName("a revoked credential, a wrong one and an empty one authenticate nobody")
  void revokedAndWrongCredentials() {
    CredentialFile file = file();
    String secret = file.create("alice", EnumSet.of(Role.READ));
    file.create("bob", EnumSet.of(Role.READ));
    file.revoke("alice");

    ApiCredentials credentials = new ApiCredentials(file.list(), Optional.empty());
    assertThat(credentials.authenticate(secret)).isEmpty();
    assertThat(credentials.authenticate(secret + "x")).isEmpty();
    assertThat(credentials.authenticate("")).isEmpty();
    assertThat(credentials.authenticate(null)).isEmpty();
    assertThat(file.list()).extracting(CredentialFile.Entry::name).containsExactly("bob");
  }

  @Test
  @DisplayName("the shared GARDEN_API_TOKEN is an admin principal named shared-token")
  void sharedTokenIsAdmin() {
    Principal who = new ApiCredentials(java.util.List.of(), Optional.of("s3cret")).authenticate("s3cret")
        .orElseThrow();
    assertThat(who.actor()).isEqualTo("api:shared-token");
    assertThat(who.has(Role.PUBLISH_PROD)).isTrue();
  }

  @Test
  @DisplayName("names are checked, taken names refused, unknown names and roles explained")
  void mistakesAreExplained() {
    CredentialFile file = file();
    file.create("ci", EnumSet.of(Role.RUN));
    assertThatThrownBy(() -> file.create("ci", EnumSet.of(Role.RUN))).hasMessageContaining("exists already");
    assertThatThrownBy(() -> file.create("../evil", EnumSet.of(Role.RUN))).hasMessageContaining("credential name");
    assertThatThrownBy(() -> file.revoke("nobody")).hasMessageContaining("no credential named nobody");
    assertThatThrownBy(() -> Role.parseList("run,publish:qa")).hasMessageContaining("unknown role 'publish:qa'")
        .hasMessageContaining("publish:prod");
  }

  @Test
  @DisplayName("a file that is not a credential file is an error naming it, never an empty list")
  void brokenFileIsAnError() throws Exception {
    Files.writeString(temp.resolve("tokens.json"), "{\"version\":1,\"credentials\":[{\"name\":\"x\"");
    assertThatThrownBy(() -> file().list()).hasMessageContaining("tokens.json").hasMessageContaining("garden token")
        .hasMessageContaining("not valid JSON at line 1");
    Files.writeString(temp.resolve("tokens.json"), "{\"credentials\":[]}");
    assertThatThrownBy(() -> file().list()).hasMessageContaining("'version' is missing or not valid")
        .hasMessageNotContaining("DeserializationFeature");
  }
}
