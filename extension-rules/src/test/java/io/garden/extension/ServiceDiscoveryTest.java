package io.garden.extension;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceDiscoveryTest {

  @TempDir
  Path repo;

  private void file(String path, String text) throws IOException {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private List<BuildTarget> targets(ExtensionType type, String name) {
    return ServiceDiscovery.targets(LoadedExtension.load(new ExtensionDiscovery(repo).resolve(type, name)));
  }

  @Test
  @DisplayName("each sub-folder with a Dockerfile is a service named after the folder: kamiwazaai/{ext}-{folder}")
  void subFolders() throws IOException {
    file("apps/notes/kamiwaza.json", "{\"name\":\"notes\",\"version\":\"1.0.0\"}");
    file("apps/notes/backend/Dockerfile", "FROM scratch\n");
    file("apps/notes/frontend/Dockerfile", "FROM scratch\n");
    file("apps/notes/docs/README.md", "no Dockerfile here\n");

    assertThat(targets(ExtensionType.APP, "notes")).extracting(BuildTarget::service, BuildTarget::repository)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("backend", "kamiwazaai/notes-backend"),
            org.assertj.core.groups.Tuple.tuple("frontend", "kamiwazaai/notes-frontend"));
  }

  @Test
  @DisplayName("a root Dockerfile is service web, named kamiwazaai/{ext} or after the image field")
  void rootDockerfile() throws IOException {
    file("apps/solo/kamiwaza.json", "{\"name\":\"solo\",\"version\":\"1.0.0\"}");
    file("apps/solo/Dockerfile", "FROM scratch\n");
    file("tools/tool-x/kamiwaza.json", "{\"name\":\"tool-x\",\"version\":\"1.0.0\",\"image\":\"acme/tool-x:1.0.0\"}");
    file("tools/tool-x/Dockerfile", "FROM scratch\n");

    assertThat(targets(ExtensionType.APP, "solo")).singleElement()
        .satisfies(t -> assertThat(t.service() + " " + t.repository()).isEqualTo("web kamiwazaai/solo"));
    assertThat(targets(ExtensionType.TOOL, "tool-x")).singleElement()
        .satisfies(t -> assertThat(t.repository()).isEqualTo("acme/tool-x"));
  }

  @Test
  @DisplayName("a service's build.platforms is found by its build context; a service that names none takes all")
  void platformsOfAService() throws IOException {
    file("apps/notes/kamiwaza.json", "{\"name\":\"notes\",\"version\":\"1.0.0\"}");
    file("apps/notes/api/Dockerfile", "FROM scratch\n");
    file("apps/notes/ui/Dockerfile", "FROM scratch\n");
    file("apps/notes/docker-compose.yml", "services:\n  api:\n    build:\n      context: ./api\n"
        + "      platforms: [linux/amd64]\n  ui: {build: ./ui}\n");
    LoadedExtension e = LoadedExtension.load(new ExtensionDiscovery(repo).resolve(ExtensionType.APP, "notes"));
    List<BuildTarget> targets = ServiceDiscovery.targets(e);

    assertThat(ServiceDiscovery.platforms(e, targets.get(0))).containsExactly("linux/amd64");
    assertThat(ServiceDiscovery.platforms(e, targets.get(1))).isNull();
  }

  @Test
  @DisplayName("folders built only by local-only (profiles) services are not built")
  void profilesSkipped() throws IOException {
    file("apps/notes/kamiwaza.json", "{\"name\":\"notes\",\"version\":\"1.0.0\"}");
    file("apps/notes/api/Dockerfile", "FROM scratch\n");
    file("apps/notes/debug/Dockerfile", "FROM scratch\n");
    file("apps/notes/docker-compose.yml", "services:\n  api: {build: ./api}\n  dbg: {build: ./debug, profiles: [debug]}\n");

    assertThat(targets(ExtensionType.APP, "notes")).extracting(BuildTarget::service).containsExactly("api");
  }

  @Test
  @DisplayName("no Dockerfile, or no version, is a clear error")
  void errors() throws IOException {
    file("apps/empty/kamiwaza.json", "{\"name\":\"empty\"}");

    assertThatThrownBy(() -> targets(ExtensionType.APP, "empty"))
        .hasMessage("apps/empty: no Dockerfile at the extension root or in a service sub-folder; nothing to build");
    file("apps/empty/Dockerfile", "FROM scratch\n");
    assertThatThrownBy(() -> ServiceDiscovery.version(LoadedExtension.load(
        new ExtensionDiscovery(repo).resolve(ExtensionType.APP, "empty"))))
        .hasMessageContaining("kamiwaza.json has no valid 'version'");
  }
}
