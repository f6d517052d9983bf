package io.garden.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.model.DocumentException;
import io.garden.common.model.DocumentPositions;
import io.garden.common.model.Documents;
import io.garden.extension.model.ExtensionFiles;
import io.garden.extension.model.ExtensionRef;
import io.garden.common.model.Finding;
import io.garden.common.model.Severity;
import io.garden.extension.compose.ComposeRules;
import io.garden.extension.compose.ComposeSync;
import io.garden.extension.compose.ComposeYaml;
import io.garden.extension.manifest.ManifestRules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An extension's files, read once and parsed safely. Whatever could not be read becomes a finding here, so the
 * rules only ever see well-formed documents and a bad file never stops the run.
 */
public final class LoadedExtension {

  public static final String COMPOSE = "docker-compose.yml";

  private final ExtensionRef ref;
  private final List<Finding> problems = new ArrayList<>();
  private String manifestText;
  private JsonNode manifest;
  private Map<String, Object> compose;
  private String composeText;
  private Boolean syncedFromCurrentInputs;
  private boolean hasCompose;
  private boolean hasAppgarden;
  private String appgardenText;
  private Map<String, Object> appgarden;
  /** The appgarden file's node tree, kept only for finding positions while this extension is validated. */
  private org.yaml.snakeyaml.nodes.Node appgardenNode;

  private LoadedExtension(ExtensionRef ref) {
    this.ref = ref;
  }

  public static LoadedExtension load(ExtensionRef ref) {
    LoadedExtension e = new LoadedExtension(ref);
    // Read first, ask questions later: a missing file is one failed open, not a stat and then an open.
    String manifestText = e.readIfPresent(ManifestRules.FILE);
    e.manifestText = manifestText;
    if (manifestText == null && !e.hasProblemWith(ManifestRules.FILE)) {
      e.problems.add(Finding.error("manifest.missing", ref.id(), ManifestRules.FILE, "Missing kamiwaza.json"));
    } else if (manifestText != null) {
      e.manifest = e.parse(ManifestRules.FILE, () -> Documents.parseJsonObject(ref.file(ManifestRules.FILE),
          manifestText));
    }
    e.composeText = e.readIfPresent(COMPOSE);
    e.hasCompose = e.composeText != null || e.hasProblemWith(COMPOSE);
    e.appgardenText = e.readIfPresent(ComposeRules.FILE);
    // A generated file that records these very inputs is current: docker-compose.yml need not be parsed to know.
    if (e.composeText != null && !e.syncedFromCurrentInputs()) {
      e.parseCompose();
    }
    e.hasAppgarden = e.appgardenText != null || e.hasProblemWith(ComposeRules.FILE);
    if (e.appgardenText != null) {
      Documents.ParsedYaml parsed = e.parse(ComposeRules.FILE, () -> Documents.parseYaml(ref.file(ComposeRules.FILE),
          e.appgardenText));
      if (parsed != null) {
        e.appgarden = parsed.mapping();
        e.appgardenNode = parsed.root();
      }
    }
    return e;
  }

  /** The file's text; null when it does not exist, or cannot be read (then with a finding). */
  private String readIfPresent(String file) {
    try {
      return Documents.readText(ExtensionFiles.contained(ref.dir(), ref.file(file)));
    } catch (ExtensionFiles.PathEscapeException ex) {
      problems.add(new Finding(Severity.ERROR, ExtensionFiles.RULE, ref.id(), file, 0, null, ex.problem()));
      return null;
    } catch (DocumentException ex) {
      if (!"file not found".equals(ex.problem())) {
        problems.add(new Finding(Severity.ERROR, "file.invalid", ref.id(), file, ex.line(), null, ex.problem()));
      }
      return null;
    }
  }

  private boolean hasProblemWith(String file) {
    return problems.stream().anyMatch(f -> file.equals(f.file()));
  }

  private <T> T parse(String file, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (DocumentException ex) {
      problems.add(new Finding(Severity.ERROR, "file.invalid", ref.id(), file, ex.line(), null, ex.problem()));
      return null;
    }
  }

  /**
   * The same extension after sync-compose wrote {@code text} (whose parsed form is {@code parsed}): lets validation
   * follow a sync without reading and parsing the file again.
   */
  public LoadedExtension withAppgarden(String text, Map<String, Object> parsed) {
    LoadedExtension copy = new LoadedExtension(ref);
    copy.problems.addAll(problems.stream().filter(f -> !ComposeRules.FILE.equals(f.file())).toList());
    copy.manifestText = manifestText;
    copy.manifest = manifest;
    copy.compose = compose;
    copy.composeText = composeText;
    copy.hasCompose = hasCompose;
    copy.appgardenText = text;
    copy.appgarden = parsed;
    copy.hasAppgarden = true;
    return copy;
  }

  public ExtensionRef ref() {
    return ref;
  }

  /** Findings from reading the files (missing, too big, not parseable). */
  public List<Finding> problems() {
    return problems;
  }

  public Optional<JsonNode> manifest() {
    return Optional.ofNullable(manifest);
  }

  /** The text of a file the rules look at ({@code kamiwaza.json}, the appgarden file), when it was read. */
  public Optional<String> text(String file) {
    return switch (file) {
      case ManifestRules.FILE -> Optional.ofNullable(manifestText);
      case ComposeRules.FILE -> Optional.ofNullable(appgardenText);
      default -> Optional.empty();
    };
  }

  /** Where things are in a file the rules look at, from the parse already made when there is one. */
  public Optional<DocumentPositions> positions(String file) {
    if (ComposeRules.FILE.equals(file) && appgardenNode != null) {
      return Optional.of(DocumentPositions.ofYaml(appgardenNode));
    }
    return text(file).map(t -> file.endsWith(".json") ? DocumentPositions.ofJson(t) : DocumentPositions.ofYaml(t));
  }

  /** Lets the node tree go once the findings have their positions (a registry build keeps extensions longer). */
  void releaseTree() {
    appgardenNode = null;
  }

  public boolean hasComposeFile() {
    return hasCompose;
  }

  public Optional<Map<String, Object>> compose() {
    if (compose == null && composeText != null) {
      parseCompose();
    }
    return Optional.ofNullable(compose);
  }

  private void parseCompose() {
    if (compose == null && !hasProblemWith(COMPOSE)) {
      compose = parse(COMPOSE, () -> Documents.parseYamlMapping(ref.file(COMPOSE), composeText));
    }
  }

  /**
   * Whether the appgarden file was generated by sync-compose from exactly the current inputs and not edited since
   * (its digest line says so), which makes it current without running sync again.
   */
  public boolean syncedFromCurrentInputs() {
    // Asked by load, validate and sync alike; the files do not change under this object, so hash them once.
    if (syncedFromCurrentInputs == null) {
      syncedFromCurrentInputs = appgardenText != null && !isManual() && syncInputsDigest()
          .map(d -> ComposeYaml.writtenFrom(appgardenText, d)).orElse(false);
    }
    return syncedFromCurrentInputs;
  }

  /** What sync-compose's output depends on: its rules, the name, version and allowed mounts, the compose text. */
  public Optional<String> syncInputsDigest() {
    if (composeText == null) {
      return Optional.empty();
    }
    return version().map(v -> ComposeYaml.digest(io.garden.extension.compose.ComposeSync.RULES_VERSION + "\n"
        + ref.name() + "\n" + v + "\n" + String.join(",", allowedBindMounts()) + "\n" + composeText));
  }

  public boolean hasAppgardenFile() {
    return hasAppgarden;
  }

  public Optional<String> appgardenText() {
    return Optional.ofNullable(appgardenText);
  }

  public Optional<Map<String, Object>> appgarden() {
    return Optional.ofNullable(appgarden);
  }

  public boolean isManual() {
    return appgardenText != null && ComposeYaml.isManual(appgardenText);
  }

  /** The version from kamiwaza.json when it is a valid semantic version. */
  public Optional<String> version() {
    return manifest().map(m -> m.get("version"))
        .filter(JsonNode::isTextual).map(JsonNode::asText)
        .filter(v -> ManifestRules.SEMVER.matcher(v).matches());
  }

  public Set<String> allowedBindMounts() {
    Set<String> allowed = new LinkedHashSet<>();
    manifest().map(m -> m.path("validation").path("allowed_bind_mounts")).filter(JsonNode::isArray)
        .ifPresent(list -> list.forEach(item -> allowed.add(item.asText())));
    return allowed;
  }

  public String slug() {
    String name = manifest().map(m -> m.get("name")).filter(JsonNode::isTextual).map(JsonNode::asText)
        .orElse(ref.name());
    return ManifestRules.slug(name);
  }

  /** What sync-compose would write, when the compose file and the version allow it to be computed. */
  public Optional<Map<String, Object>> expectedAppgarden() {
    if (compose().isEmpty()) {
      return Optional.empty();
    }
    return version().map(v -> ComposeSync.sync(new ComposeSync.Input(ref.name(), v, allowedBindMounts(), compose)));
  }

  public ComposeRules.Context composeContext() {
    return new ComposeRules.Context(ref.id(), slug(), allowedBindMounts());
  }
}
