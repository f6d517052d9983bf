package io.garden.extension.compose;

import io.garden.common.model.Finding;
import io.garden.common.model.ImageRef;
import io.garden.common.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compose rules App Garden enforces on {@code docker-compose.appgarden.yml} (SPEC §4). Pure: a parsed file
 * in, findings out. Messages are the old validator's, prefixed {@code Service '{s}': } by {@link Finding#text()}.
 */
public final class ComposeRules {

  public static final String FILE = "docker-compose.appgarden.yml";

  /** The context a check needs: which extension, its slug, and the bind mounts it is allowed. */
  public record Context(String extensionId, String slug, Set<String> allowedBindMounts) {
  }

  private ComposeRules() {
  }

  public static List<Finding> check(Map<String, Object> compose, Context ctx) {
    List<Finding> findings = new ArrayList<>();
    if (compose.containsKey("networks")) {
      findings.add(error(ctx, "compose.networks", "Top-level 'networks' is not allowed; App Garden provides the"
          + " network.").at("/networks"));
    }
    if (compose.get("volumes") instanceof Map<?, ?> volumes) {
      volumes.forEach((name, body) -> checkVolume(String.valueOf(name), body, ctx, findings));
    }
    Object services = compose.get("services");
    if (!(services instanceof Map<?, ?> serviceMap) || serviceMap.isEmpty()) {
      findings.add(error(ctx, "compose.services", "No services defined").at("/services"));
      return findings;
    }
    serviceMap.forEach((name, body) -> {
      String service = String.valueOf(name);
      if (body instanceof Map<?, ?> map) {
        checkService(service, map, ctx, findings);
      } else {
        findings.add(error(ctx, "compose.service", "Definition must be a mapping").forService(service)
            .at(Finding.pointer("services", service)));
      }
    });
    return findings;
  }

  private static void checkService(String service, Map<?, ?> body, Context ctx, List<Finding> findings) {
    List<Finding> f = new ArrayList<>();
    if (body.containsKey("build")) {
      f.add(error(ctx, "compose.build", "Has 'build' section. Must use pre-built images only.").at("/build"));
    }
    checkImage(body.get("image"), ctx, f);
    if (body.get("ports") instanceof List<?> ports) {
      for (int i = 0; i < ports.size(); i++) {
        if (PortSpec.hasHostPart(ports.get(i))) {
          f.add(error(ctx, "compose.host-port", "Port mapping '" + describePort(ports.get(i))
              + "' includes host port. Use only container port.").at("/ports/" + i));
        }
      }
    }
    if (body.get("volumes") instanceof List<?> volumes) {
      for (int i = 0; i < volumes.size(); i++) {
        Object volume = volumes.get(i);
        if (VolumeSpec.isBindMount(volume) && !ctx.allowedBindMounts().contains(String.valueOf(volume))) {
          f.add(error(ctx, "compose.bind-mount", "Bind mount detected: '" + VolumeSpec.describe(volume)
              + "'. Only named volumes allowed.").at("/volumes/" + i));
        }
      }
    }
    if (!hasLimits(body)) {
      f.add(error(ctx, "compose.resource-limits", "Missing resource limits (deploy.resources.limits)")
          .at("/deploy/resources/limits"));
    }
    if (mentionsHostDockerInternal(body.get("environment")) && !hasHostGateway(body.get("extra_hosts"))) {
      f.add(error(ctx, "compose.host-gateway", "Uses host.docker.internal but extra_hosts lacks '"
          + ComposeSync.HOST_GATEWAY + "'").at(body.containsKey("extra_hosts") ? "/extra_hosts" : "/environment"));
    }
    if (body.containsKey("container_name")) {
      f.add(error(ctx, "compose.container-name", "Has 'container_name'. App Garden names containers itself.")
          .at("/container_name"));
    }
    if (body.containsKey("networks")) {
      f.add(error(ctx, "compose.networks", "Has 'networks'. App Garden provides the network.").at("/networks"));
    }
    // Rules above point inside the service; the service's own place in the file comes first.
    String where = Finding.pointer("services", service);
    f.forEach(finding -> findings.add(finding.forService(service)
        .at(finding.path() == null ? where : where + finding.path())));
  }

  private static void checkImage(Object image, Context ctx, List<Finding> f) {
    if (image == null) {
      f.add(error(ctx, "compose.image-ref", "Missing 'image'. Every service needs a pre-built image.").at("/image"));
      return;
    }
    String text = String.valueOf(image);
    if (text.contains("${")) {
      return; // Interpolated at deploy time; nothing to check statically.
    }
    ImageRef ref = ImageRef.parse(text);
    if (ref == null) {
      f.add(error(ctx, "compose.image-ref", "Invalid image reference '" + text + "'").at("/image"));
    } else if (ref.isOwn() && !squash(ref.repository()).contains(squash(ctx.slug()))) {
      f.add(warning(ctx, "compose.naming", "Image '" + text + "' should contain the extension id '" + ctx.slug()
          + "'").at("/image"));
    }
  }

  private static void checkVolume(String name, Object body, Context ctx, List<Finding> all) {
    List<Finding> findings = new ArrayList<>();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("kamiwaza-") || lower.startsWith("buildx_buildkit_")) {
      findings.add(error(ctx, "compose.volume-name", "Volume '" + name + "' uses a reserved prefix"
          + " ('kamiwaza-' or 'buildx_buildkit_')"));
    }
    if (body instanceof Map<?, ?> volume && hasHostPathDriverOpts(volume)) {
      findings.add(error(ctx, "compose.driver-opts", "Volume '" + name + "' has driver_opts pointing at a host"
          + " path. Only plain named volumes allowed."));
    }
    if (!squash(name).contains(squash(ctx.slug()))) {
      findings.add(warning(ctx, "compose.naming", "Volume '" + name + "' should contain the extension id '"
          + ctx.slug() + "'"));
    }
    String where = Finding.pointer("volumes", name);
    findings.forEach(finding -> all.add(finding.at(where)));
  }

  /** {@code driver_opts} with a host device path or a bind option turn a named volume into a bind mount. */
  static boolean hasHostPathDriverOpts(Map<?, ?> volume) {
    if (!(volume.get("driver_opts") instanceof Map<?, ?> opts)) {
      return false;
    }
    Object device = opts.get("device");
    Object o = opts.get("o");
    return (device != null && isHostPath(device.toString()))
        || (o != null && o.toString().contains("bind"));
  }

  private static boolean isHostPath(String path) {
    return path.startsWith("/") || path.startsWith(".") || path.startsWith("~") || path.startsWith("$");
  }

  private static boolean hasLimits(Map<?, ?> body) {
    return body.get("deploy") instanceof Map<?, ?> deploy
        && deploy.get("resources") instanceof Map<?, ?> resources
        && resources.get("limits") instanceof Map<?, ?> limits
        && !limits.isEmpty();
  }

  private static boolean mentionsHostDockerInternal(Object environment) {
    if (environment instanceof Map<?, ?> map) {
      return map.values().stream().anyMatch(v -> String.valueOf(v).contains("host.docker.internal"));
    }
    if (environment instanceof List<?> list) {
      return list.stream().anyMatch(v -> String.valueOf(v).contains("host.docker.internal"));
    }
    return false;
  }

  private static boolean hasHostGateway(Object extraHosts) {
    if (extraHosts instanceof Map<?, ?> map) {
      return "host-gateway".equals(String.valueOf(map.get("host.docker.internal")));
    }
    if (extraHosts instanceof List<?> list) {
      return list.stream().map(String::valueOf)
          .anyMatch(h -> h.replace('=', ':').equals(ComposeSync.HOST_GATEWAY));
    }
    return false;
  }

  private static String describePort(Object port) {
    if (port instanceof Map<?, ?> map) {
      return map.get("published") + ":" + map.get("target");
    }
    return String.valueOf(port);
  }

  /** Letters and digits only, so {@code team_notes_pg} contains the slug {@code team-notes}. */
  private static String squash(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = Character.toLowerCase(s.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Finding error(Context ctx, String rule, String message) {
    return new Finding(Severity.ERROR, rule, ctx.extensionId(), FILE, 0, null, message);
  }

  private static Finding warning(Context ctx, String rule, String message) {
    return new Finding(Severity.WARNING, rule, ctx.extensionId(), FILE, 0, null, message);
  }
}
