package io.garden.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.format.Json;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LockOwnerTest {

  @Test
  @DisplayName("a lock taken in a CI job names the job, and the host also as the old toolchain's 'hostname'")
  void lockCarriesTheOldFields() throws Exception {
    LockOwner github = LockOwner.local("runner-7", null, Map.of("GITHUB_RUN_ID", "123",
        "GITHUB_REPOSITORY", "acme/extensions"));
    LockOwner gitlab = LockOwner.local("runner-8", null, Map.of("CI_JOB_ID", "456"));
    assertThat(github.ci()).isEqualTo("github-actions run 123 of acme/extensions");
    assertThat(gitlab.ci()).isEqualTo("gitlab job 456");
    assertThat(LockOwner.local("laptop", null, Map.of()).ci()).isNull();

    Instant now = Instant.parse("2026-12-07T10:00:00Z");
    PublishLock lock = new PublishLock(github.owner(), github.host(), github.pid(), null, now, now.plusSeconds(60),
        1, null, github.ci());
    JsonNode written = Json.files().readTree(new String(LockManager.encode(lock), StandardCharsets.UTF_8));
    assertThat(written.path("hostname").asText()).isEqualTo("runner-7");
    assertThat(written.path("host").asText()).isEqualTo("runner-7");
    assertThat(written.path("ci").asText()).isEqualTo("github-actions run 123 of acme/extensions");
    assertThat(LockManager.decode(new io.garden.common.store.StoredObject("registry.lock", LockManager.encode(lock),
        "etag")).ci()).as("read back").isEqualTo(github.ci());
    assertThat(lock.describe()).contains("github-actions run 123");
  }
}
