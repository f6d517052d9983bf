package io.garden.gateway.sources;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RepositoryUrlTest {

  @Test
  @DisplayName("an entry without a trailing '/' allows that repository only, however it is spelled")
  void exactEntry() {
    String entry = "https://github.com/acme/extensions";
    for (String same : List.of("https://github.com/acme/extensions", "https://github.com/acme/extensions.git",
        "https://GitHub.com/acme/extensions/", "https://github.com:443/acme/extensions.git",
        "https://github.com/acme/%65xtensions", "HTTPS://github.com/acme/extensions")) {
      assertThat(RepositoryUrl.allowedBy(same, entry)).as(same).isTrue();
    }
    for (String other : List.of("https://github.com/acme/extensions-evil", "https://github.com/acme-attacker/x",
        "https://github.com/acme/extensions/sub", "https://github.com:8443/acme/extensions",
        "http://github.com/acme/extensions", "https://github.com/acme/Extensions",
        "https://github.com/acme/extensions%2Fevil", "https://github.com/acme/extensions?x=1",
        "https://github.com.evil.example/acme/extensions")) {
      assertThat(RepositoryUrl.allowedBy(other, entry)).as(other).isFalse();
    }
  }

  @Test
  @DisplayName("an entry ending in '/' allows the repositories below that folder, and no sibling that shares a prefix")
  void folderEntry() {
    String entry = "https://github.com/acme/";
    assertThat(RepositoryUrl.allowedBy("https://github.com/acme/extensions.git", entry)).isTrue();
    assertThat(RepositoryUrl.allowedBy("https://github.com/acme-attacker/extensions.git", entry)).isFalse();
    assertThat(RepositoryUrl.allowedBy("https://github.com/acmex/extensions.git", entry)).isFalse();
  }

  @Test
  @DisplayName("the canonical form: scheme and host in lower case, default port, .git and trailing '/' dropped")
  void canonical() {
    assertThat(RepositoryUrl.canonical("https://GitHub.COM:443/Acme/Ext.git/")).contains("https://github.com/Acme/Ext");
    assertThat(RepositoryUrl.canonical("ssh://git@github.com:22/acme/ext.git")).contains("ssh://git@github.com/acme/ext");
    assertThat(RepositoryUrl.canonical("file:///srv/git/ext.git")).contains("file:///srv/git/ext");
    assertThat(RepositoryUrl.canonical("not a url")).isEmpty();
    assertThat(RepositoryUrl.canonical("https://github.com/a/%zz")).isEmpty();
  }
}
