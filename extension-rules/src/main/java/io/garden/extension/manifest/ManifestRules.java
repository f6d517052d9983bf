package io.garden.extension.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.extension.model.ExtensionFiles;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.common.model.Finding;
import io.garden.common.model.ImageRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules for {@code kamiwaza.json} (SPEC §2). Messages are the old validator's, kept verbatim. */
public final class ManifestRules {

  public static final String FILE = "kamiwaza.json";
  public static final Pattern SEMVER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
  private static final Pattern IMAGE_FIELD = Pattern.compile("^[\\w\\-./]+(:[\\w\\-.]+)?$");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> KNOWN_PLACEHOLDERS =
      Set.of("app_port", "model_port", "deployment_id", "app_name", "kamiwaza_origin");
  private static final List<String> PREVIEW_PREFIXES =
      List.of("https://info.kamiwaza.ai/", "/garden/", "/app-garden-images/", "/api/app-garden-images/");
  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-|-$");
  private static final Pattern V_TAG = Pattern.compile("v\\d.*");
  private static final Pattern PREVIEW_EXTENSION = Pattern.compile("(?i).*\\.(png|jpe?g|webp|gif|svg)$");

  private enum Kind {
    STR("str"), INT("int"), BOOL("bool"), LIST("list"), DICT("dict");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private record Field(String name, Kind kind) {
  }

  private static final List<Field> REQUIRED = List.of(
      new Field("name", Kind.STR), new Field("version", Kind.STR), new Field("source_type", Kind.STR),
      new Field("visibility", Kind.STR), new Field("description", Kind.STR), new Field("risk_tier", Kind.INT),
      new Field("verified", Kind.BOOL));

  private static final List<Field> OPTIONAL = List.of(
      new Field("tags", Kind.LIST), new Field("env_defaults", Kind.DICT), new Field("required_env_vars", Kind.LIST),
      new Field("capabilities", Kind.LIST), new Field("kamiwaza_version", Kind.STR), new Field("image", Kind.STR),
      new Field("preview_image", Kind.STR), new Field("display_name", Kind.STR), new Field("category", Kind.STR),
      new Field("author", Kind.STR), new Field("license", Kind.STR), new Field("optional_env_vars", Kind.DICT),
      new Field("extra_docker_images", Kind.LIST), new Field("template_type", Kind.STR),
      new Field("validation", Kind.DICT));

  private ManifestRules() {
  }

  /**
   * @param hasCompose whether the extension has a docker-compose.yml (a tool needs that or an image)
   */
  public static List<Finding> check(ExtensionRef ref, JsonNode m, boolean hasCompose) {
    List<Finding> f = new ArrayList<>();
    String id = ref.id();
    for (Field field : REQUIRED) {
      JsonNode value = m.get(field.name());
      if (value == null || value.isNull()) {
        f.add(Finding.error("manifest.required-field", id, FILE, "Missing required field: " + field.name()));
      } else if (!hasKind(value, field.kind())) {
        f.add(typeError(id, field));
      }
    }
    for (Field field : OPTIONAL) {
      JsonNode value = m.get(field.name());
      if (value != null && !value.isNull() && !hasKind(value, field.kind())) {
        f.add(typeError(id, field));
      }
    }
    checkStringLists(m, id, f, "required_env_vars", "capabilities");
    String version = text(m, "version");
    if (version != null && !SEMVER.matcher(version).matches()) {
      f.add(Finding.error("manifest.version-format", id, FILE, "Invalid version format: " + version).at("/version"));
    }
    if (ref.type() != ExtensionType.TOOL) {
      checkEnum(m, "source_type", Set.of("kamiwaza", "public", "user_repo"), id, f);
      checkEnum(m, "visibility", Set.of("private", "public", "team"), id, f);
      JsonNode risk = m.get("risk_tier");
      if (risk != null && hasKind(risk, Kind.INT) && (risk.asInt() < 0 || risk.asInt() > 2)) {
        f.add(Finding.error("manifest.risk-tier", id, FILE, "risk_tier must be 0, 1, or 2").at("/risk_tier"));
      }
    }
    checkNamePrefix(ref, text(m, "name"), f);
    checkTemplateType(ref, text(m, "template_type"), f);
    checkImage(m, id, version, f);
    if (ref.type() == ExtensionType.TOOL && text(m, "image") == null && !hasCompose) {
      f.add(Finding.error("manifest.tool-image", id, FILE,
          "Tool must have either 'image' field or docker-compose file"));
    }
    checkPreview(ref, text(m, "preview_image"), f);
    String range = text(m, "kamiwaza_version");
    if (range != null && !KamiwazaVersionSyntax.isValid(range)) {
      f.add(Finding.error("manifest.kamiwaza-version", id, FILE, KamiwazaVersionSyntax.message(range))
          .at("/kamiwaza_version"));
    }
    checkPlaceholders(m.get("env_defaults"), id, f);
    checkAllowedBindMounts(m.get("validation"), id, f);
    return f;
  }

  private static boolean hasKind(JsonNode value, Kind kind) {
    return switch (kind) {
      case STR -> value.isTextual();
      // JSON true is not 1: a boolean risk_tier is wrong even though Python would accept it.
      case INT -> value.isIntegralNumber();
      case BOOL -> value.isBoolean();
      case LIST -> value.isArray();
      case DICT -> value.isObject();
    };
  }

  private static Finding typeError(String id, Field field) {
    return Finding.error("manifest.field-type", id, FILE,
        "Field '" + field.name() + "' must be of type " + field.kind().label).at(Finding.pointer(field.name()));
  }

  private static void checkStringLists(JsonNode m, String id, List<Finding> f, String... names) {
    for (String name : names) {
      JsonNode list = m.get(name);
      if (list != null && list.isArray()) {
        for (int i = 0; i < list.size(); i++) {
          if (!list.get(i).isTextual()) {
            f.add(Finding.error("manifest.field-type", id, FILE, "Field '" + name + "' must be a list of strings")
                .at(Finding.pointer(name, i)));
            break;
          }
        }
      }
    }
  }

  private static void checkEnum(JsonNode m, String field, Set<String> allowed, String id, List<Finding> f) {
    String value = text(m, field);
    if (value != null && !allowed.contains(value)) {
      f.add(Finding.error("manifest." + field.replace('_', '-'), id, FILE, "Invalid " + field + " '" + value
          + "'. Must be one of: " + String.join(", ", allowed.stream().sorted().toList())).at(Finding.pointer(field)));
    }
  }

  private static void checkNamePrefix(ExtensionRef ref, String name, List<Finding> f) {
    if (name == null) {
      return;
    }
    if (ref.type() == ExtensionType.SERVICE && !name.startsWith("service-")) {
      f.add(Finding.error("manifest.name-prefix", ref.id(), FILE,
          "Service name must start with 'service-': " + name).at("/name"));
    }
    if (ref.type() == ExtensionType.TOOL && !name.startsWith("tool-") && !name.startsWith("mcp-")) {
      f.add(Finding.error("manifest.name-prefix", ref.id(), FILE,
          "Tool name must start with 'tool-' or 'mcp-': " + name).at("/name"));
    }
  }

  private static void checkTemplateType(ExtensionRef ref, String templateType, List<Finding> f) {
    if (templateType == null) {
      return;
    }
    if (ExtensionType.fromName(templateType).filter(t -> t == ref.type()).isEmpty()) {
      f.add(Finding.error("manifest.template-type", ref.id(), FILE, "template_type '" + templateType
          + "' does not match the folder: expected '" + ref.type().id() + "'").at("/template_type"));
    }
  }

  private static void checkImage(JsonNode m, String id, String version, List<Finding> f) {
    String image = text(m, "image");
    if (image == null) {
      return;
    }
    if (!IMAGE_FIELD.matcher(image).matches() || ImageRef.parse(image) == null) {
      f.add(Finding.error("manifest.image-format", id, FILE, "Invalid image format: " + image).at("/image"));
      return;
    }
    String tag = ImageRef.parse(image).tag();
    if (tag == null) {
      return;
    }
    if (tag.endsWith("-dev") || tag.endsWith("-stage")) {
      f.add(Finding.error("manifest.image-tag", id, FILE, "Image tag '" + tag + "' must not carry a stage suffix"
          + " (-dev/-stage): stage tags are applied at push time").at("/image"));
    } else if (V_TAG.matcher(tag).matches()) {
      f.add(Finding.error("manifest.image-tag", id, FILE, "Image tag '" + tag + "' must not start with 'v'").at("/image"));
    } else if (version != null && !tag.equals(version)) {
      f.add(Finding.error("manifest.image-tag", id, FILE, "Image tag '" + tag + "' does not match version '"
          + version + "'").at("/image"));
    }
  }

  private static void checkPreview(ExtensionRef ref, String preview, List<Finding> f) {
    if (preview == null) {
      return;
    }
    if (!PREVIEW_EXTENSION.matcher(preview).matches()) {
      f.add(Finding.error("manifest.preview-image", ref.id(), FILE, "preview_image must end in .png, .jpg, .jpeg,"
          + " .webp, .gif or .svg: " + preview).at("/preview_image"));
      return;
    }
    if (PREVIEW_PREFIXES.stream().anyMatch(preview::startsWith)) {
      return;
    }
    Path file = ref.dir().resolve(preview).normalize();
    if (preview.startsWith("/") || preview.contains("..") || !file.startsWith(ref.dir())
        || !Files.isRegularFile(file)) {
      f.add(Finding.error("manifest.preview-image", ref.id(), FILE, "preview_image '" + preview + "' must start"
          + " with " + String.join(", ", PREVIEW_PREFIXES) + " or be a file inside the extension")
          .at("/preview_image"));
      return;
    }
    try {
      ExtensionFiles.contained(ref.dir(), file);
    } catch (ExtensionFiles.PathEscapeException e) {
      // The same finding build-registry would stop at: said here, where the author looks first.
      f.add(Finding.error(ExtensionFiles.RULE, ref.id(), FILE, "preview_image '" + preview + "': "
          + e.getMessage()).at("/preview_image"));
    }
  }

  private static void checkPlaceholders(JsonNode envDefaults, String id, List<Finding> f) {
    if (envDefaults == null || !envDefaults.isObject()) {
      return;
    }
    envDefaults.fields().forEachRemaining(entry -> {
      Matcher matcher = PLACEHOLDER.matcher(entry.getValue().asText(""));
      while (matcher.find()) {
        if (!KNOWN_PLACEHOLDERS.contains(matcher.group(1))) {
          f.add(Finding.warning("manifest.env-placeholder", id, FILE, "env_defaults." + entry.getKey()
              + " uses unknown template variable {" + matcher.group(1) + "} (known: "
              + String.join(", ", KNOWN_PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList()) + ")")
              .at(Finding.pointer("env_defaults", entry.getKey())));
        }
      }
    });
  }

  private static void checkAllowedBindMounts(JsonNode validation, String id, List<Finding> f) {
    if (validation == null || !validation.isObject()) {
      return;
    }
    JsonNode allowed = validation.get("allowed_bind_mounts");
    if (allowed != null && (!allowed.isArray() || !allStrings(allowed))) {
      f.add(Finding.error("manifest.field-type", id, FILE,
          "Field 'validation.allowed_bind_mounts' must be a list of strings").at("/validation/allowed_bind_mounts"));
    }
  }

  private static boolean allStrings(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  static String text(JsonNode m, String field) {
    JsonNode value = m.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The slug of an extension name: lowercase, runs of anything else than letters and digits become '-'. */
  public static String slug(String name) {
    String dashed = NON_ALNUM.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
    return EDGE_DASHES.matcher(dashed).replaceAll("");
  }
}
