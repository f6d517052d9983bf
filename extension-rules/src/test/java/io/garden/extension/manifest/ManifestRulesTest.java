package io.garden.extension.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.common.event.EventCodec;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Finding;
import io.garden.common.model.Severity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestRulesTest {

  @TempDir
  Path dir;

  private ObjectNode valid(String name) {
    ObjectNode m = EventCodec.shared().mapper().createObjectNode();
    m.put("name", name).put("version", "1.2.3").put("source_type", "kamiwaza").put("visibility", "public")
        .put("description", "d").put("risk_tier", 1).put("verified", true);
    return m;
  }

  private List<String> messages(ExtensionType type, String name, Consumer<ObjectNode> change) {
    return findings(type, name, change, true).stream().map(Finding::text).toList();
  }

  private List<Finding> findings(ExtensionType type, String name, Consumer<ObjectNode> change, boolean compose) {
    ObjectNode m = valid(name);
    change.accept(m);
    return ManifestRules.check(new ExtensionRef(type, name, dir), m, compose);
  }

  @Test
  @DisplayName("a complete manifest of each type has no findings")
  void validManifests() {
    assertThat(messages(ExtensionType.APP, "notes", m -> { })).isEmpty();
    assertThat(messages(ExtensionType.SERVICE, "service-db", m -> { })).isEmpty();
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "kamiwazaai/tool-x:1.2.3"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "version", "source_type", "visibility", "description", "risk_tier", "verified"})
  @DisplayName("every required field, when missing, is reported by name")
  void missingRequired(String field) {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.remove(field)))
        .containsExactly("Missing required field: " + field);
  }

  @Test
  @DisplayName("wrong JSON types are reported with the old type names; a boolean risk_tier is not an int")
  void wrongTypes() {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("risk_tier", true)))
        .containsExactly("Field 'risk_tier' must be of type int");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("verified", "yes")))
        .containsExactly("Field 'verified' must be of type bool");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("description", 3)))
        .containsExactly("Field 'description' must be of type str");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("tags", "a,b")))
        .containsExactly("Field 'tags' must be of type list");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.putArray("required_env_vars").add(1)))
        .containsExactly("Field 'required_env_vars' must be a list of strings");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2", "v1.2.3", "1.2.3.4", "latest", "1.2.3-"})
  @DisplayName("a version that is not semantic is refused")
  void badVersion(String version) {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("version", version)))
        .contains("Invalid version format: " + version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "0.0.1-rc.1", "2.0.0+build.5", "1.0.0-alpha+001"})
  @DisplayName("semantic versions with pre-release and build parts are accepted")
  void goodVersion(String version) {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("version", version))).isEmpty();
  }

  @Test
  @DisplayName("apps and services: source_type, visibility and risk_tier must be from their sets")
  void enums() {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("source_type", "github")))
        .containsExactly("Invalid source_type 'github'. Must be one of: kamiwaza, public, user_repo");
    assertThat(messages(ExtensionType.SERVICE, "service-x", m -> m.put("visibility", "world")))
        .containsExactly("Invalid visibility 'world'. Must be one of: private, public, team");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("risk_tier", 3)))
        .containsExactly("risk_tier must be 0, 1, or 2");
  }

  @Test
  @DisplayName("service and tool names need their prefixes")
  void namePrefixes() {
    assertThat(messages(ExtensionType.SERVICE, "db", m -> { }))
        .containsExactly("Service name must start with 'service-': db");
    assertThat(messages(ExtensionType.TOOL, "search", m -> m.put("image", "kamiwazaai/search:1.2.3")))
        .containsExactly("Tool name must start with 'tool-' or 'mcp-': search");
    assertThat(messages(ExtensionType.TOOL, "mcp-search", m -> m.put("image", "kamiwazaai/search:1.2.3")))
        .isEmpty();
  }

  @Test
  @DisplayName("template_type must match the folder, in any case and plural")
  void templateType() {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("template_type", "APPS"))).isEmpty();
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("template_type", "tool")))
        .containsExactly("template_type 'tool' does not match the folder: expected 'app'");
  }

  @Test
  @DisplayName("a tool needs an image field or a compose file")
  void toolNeedsImage() {
    assertThat(findings(ExtensionType.TOOL, "tool-x", m -> { }, false)).extracting(Finding::text)
        .containsExactly("Tool must have either 'image' field or docker-compose file");
    assertThat(findings(ExtensionType.TOOL, "tool-x", m -> { }, true)).isEmpty();
  }

  @Test
  @DisplayName("image tag hygiene: no stage suffix, no leading v, and the tag must be the version")
  void imageTags() {
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "kamiwazaai/tool-x:1.2.3-dev")))
        .singleElement().asString().contains("must not carry a stage suffix");
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "kamiwazaai/tool-x:v1.2.3")))
        .containsExactly("Image tag 'v1.2.3' must not start with 'v'");
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "kamiwazaai/tool-x:1.0.0")))
        .containsExactly("Image tag '1.0.0' does not match version '1.2.3'");
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "kamiwazaai/tool-x")))
        .isEmpty();
    assertThat(messages(ExtensionType.TOOL, "tool-x", m -> m.put("image", "bad image!")))
        .containsExactly("Invalid image format: bad image!");
  }

  @Test
  @DisplayName("preview_image: allowed prefixes, or an existing file inside the extension, with an image suffix")
  void previewImage() throws Exception {
    Files.writeString(dir.resolve("preview.PNG"), "png");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("preview_image", "/garden/notes.png"))).isEmpty();
    assertThat(messages(ExtensionType.APP, "notes",
        m -> m.put("preview_image", "https://info.kamiwaza.ai/x.webp"))).isEmpty();
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("preview_image", "preview.PNG"))).isEmpty();
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("preview_image", "missing.png")))
        .singleElement().asString().startsWith("preview_image 'missing.png' must start with");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("preview_image", "../../etc/passwd.png")))
        .singleElement().asString().startsWith("preview_image '../../etc/passwd.png' must start with");
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("preview_image", "/garden/notes.bmp")))
        .singleElement().asString().startsWith("preview_image must end in");
  }

  @ParameterizedTest
  @ValueSource(strings = {">=0.8.0", ">=0.8.0,<1.0.0", "==1.2", "1.2.3", "*", "", "~=0.9", "!=1.0.0, >0.5.0"})
  @DisplayName("kamiwaza_version accepts clause lists, major.minor, bare versions, empty and *")
  void goodRanges(String range) {
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("kamiwaza_version", range))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {">=0.8", "=>1.0.0", ">=1.0.0;<2.0.0", "latest", ">=1.0.0,", "1"})
  @DisplayName("a malformed kamiwaza_version gets the old message")
  void badRanges(String range) {
    if (range.equals(">=0.8")) {
      // major.minor is allowed: this one is the control case.
      assertThat(messages(ExtensionType.APP, "notes", m -> m.put("kamiwaza_version", range))).isEmpty();
      return;
    }
    assertThat(messages(ExtensionType.APP, "notes", m -> m.put("kamiwaza_version", range))).containsExactly(
        "Invalid kamiwaza_version format: " + range + " (expected format like '>=0.8.0' or '>=0.8.0,<1.0.0')");
  }

  @Test
  @DisplayName("an unknown {placeholder} in env_defaults is a warning; the known ones are fine")
  void placeholders() {
    List<Finding> f = findings(ExtensionType.APP, "notes", m -> m.putObject("env_defaults")
        .put("A", "http://{kamiwaza_origin}:{app_port}/{app_name}/{deployment_id}/{model_port}")
        .put("B", "{unknown_thing}"), true);

    assertThat(f).singleElement().satisfies(finding -> {
      assertThat(finding.severity()).isEqualTo(Severity.WARNING);
      assertThat(finding.text()).startsWith("env_defaults.B uses unknown template variable {unknown_thing}");
    });
  }
}
