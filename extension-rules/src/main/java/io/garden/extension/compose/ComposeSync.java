package io.garden.extension.compose;

import io.garden.common.model.ImageNaming;
import io.garden.common.model.ImageRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sync-compose: turns an extension's {@code docker-compose.yml} into the {@code docker-compose.appgarden.yml}
 * App Garden deploys (SPEC §3). Pure: maps in, map out, input untouched.
 *
 * <p>Invariant (the old generator broke it): the output passes {@link ComposeRules}.
 */
public final class ComposeSync {

  /**
   * The version of these rules, part of every generated file's inputs digest: raise it whenever the same input
   * would now give another output (the golden tests of sync show when), so files written by the old rules are
   * compared again instead of trusted.
   */
  public static final int RULES_VERSION = 1;


  /** What sync needs to know about the extension. */
  public record Input(String extensionName, String version, Set<String> allowedBindMounts,
                      Map<String, Object> compose) {
  }

  static final String HOST_GATEWAY = "host.docker.internal:host-gateway";

  private ComposeSync() {
  }

  public static Map<String, Object> sync(Input input) {
    Map<String, Object> compose = input.compose();
    Set<String> localOnly = localOnlyServices(compose);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> top : compose.entrySet()) {
      switch (top.getKey()) {
        case "services" -> out.put("services", services(input, top.getValue(), localOnly));
        case "volumes" -> out.put("volumes", volumes(top.getValue()));
        case "networks" -> { } // App Garden puts every extension on its own network.
        default -> out.put(top.getKey(), top.getValue());
      }
    }
    return out;
  }

  /** Services gated by compose {@code profiles:} run only locally (SPEC §3 rule 10). */
  public static Set<String> localOnlyServices(Map<String, Object> compose) {
    Set<String> names = new java.util.TreeSet<>();
    if (compose.get("services") instanceof Map<?, ?> services) {
      services.forEach((name, body) -> {
        if (body instanceof Map<?, ?> service && service.get("profiles") instanceof List<?> profiles
            && !profiles.isEmpty()) {
          names.add(String.valueOf(name));
        }
      });
    }
    return names;
  }

  private static Object services(Input input, Object value, Set<String> localOnly) {
    if (!(value instanceof Map<?, ?> services)) {
      return value;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    services.forEach((name, body) -> {
      String serviceName = String.valueOf(name);
      if (!localOnly.contains(serviceName)) {
        out.put(serviceName, body instanceof Map<?, ?> service
            ? service(input, serviceName, service, localOnly) : body);
      }
    });
    return out;
  }

  private static Map<String, Object> service(Input input, String name, Map<?, ?> service, Set<String> localOnly) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean hasImage = service.get("image") != null;
    for (Map.Entry<?, ?> entry : service.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      switch (key) {
        case "build" -> {
          if (!hasImage) {
            out.put("image", ImageNaming.repository(input.extensionName(), buildContext(value, name)) + ":"
                + ImageNaming.tagFor(input.version()));
          }
        }
        case "image" -> out.put("image", retag(value, input.version()));
        case "ports" -> out.put("ports", mapList(value, PortSpec::containerOnly));
        case "volumes" -> out.put("volumes", keptVolumes(value, input.allowedBindMounts()));
        case "container_name", "networks" -> { }
        case "command" -> out.put("command", ShellCommand.toExecForm(value));
        case "depends_on" -> out.put("depends_on", withoutLocalOnly(value, localOnly));
        default -> out.put(key, value);
      }
    }
    if (!hasImage && !service.containsKey("build")) {
      out.put("image", ImageNaming.repository(input.extensionName(), name) + ":"
          + ImageNaming.tagFor(input.version()));
    }
    out.put("extra_hosts", withHostGateway(out.get("extra_hosts")));
    addLimits(out);
    return out;
  }

  /** The folder a service is built from; a bare service (no build, no image) is named after the service. */
  private static String buildContext(Object build, String serviceName) {
    if (build instanceof String context) {
      return context;
    }
    if (build instanceof Map<?, ?> map && map.get("context") != null) {
      return map.get("context").toString();
    }
    return serviceName;
  }

  private static Object retag(Object image, String version) {
    if (!(image instanceof String text)) {
      return image;
    }
    ImageRef ref = ImageRef.parse(text);
    if (ref == null || !ref.isOwn()) {
      return image;
    }
    return ref.withTag(ImageNaming.tagFor(version)).toString();
  }

  private static Object mapList(Object value, java.util.function.UnaryOperator<Object> each) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    List<Object> out = new ArrayList<>(list.size());
    list.forEach(item -> out.add(each.apply(item)));
    return out;
  }

  private static Object keptVolumes(Object value, Set<String> allowed) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    List<Object> out = new ArrayList<>();
    for (Object entry : list) {
      if (!VolumeSpec.isBindMount(entry) || allowed.contains(String.valueOf(entry))) {
        out.add(entry);
      }
    }
    return out;
  }

  private static Object withoutLocalOnly(Object dependsOn, Set<String> localOnly) {
    if (localOnly.isEmpty()) {
      return dependsOn;
    }
    if (dependsOn instanceof List<?> list) {
      return list.stream().filter(d -> !localOnly.contains(String.valueOf(d))).toList();
    }
    if (dependsOn instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!localOnly.contains(String.valueOf(k))) {
          out.put(k, v);
        }
      });
      return out;
    }
    return dependsOn;
  }

  private static Object withHostGateway(Object extraHosts) {
    if (extraHosts instanceof Map<?, ?> map) {
      if (map.containsKey("host.docker.internal")) {
        return extraHosts;
      }
      Map<Object, Object> out = new LinkedHashMap<>(map);
      out.put("host.docker.internal", "host-gateway");
      return out;
    }
    List<Object> out = new ArrayList<>();
    if (extraHosts instanceof List<?> list) {
      for (Object entry : list) {
        if (String.valueOf(entry).startsWith("host.docker.internal")) {
          return extraHosts;
        }
        out.add(entry);
      }
    }
    out.add(HOST_GATEWAY);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void addLimits(Map<String, Object> service) {
    Object image = service.get("image");
    Map<String, Object> deploy = service.get("deploy") instanceof Map<?, ?> d
        ? new LinkedHashMap<>((Map<String, Object>) d) : new LinkedHashMap<>();
    Map<String, Object> resources = deploy.get("resources") instanceof Map<?, ?> r
        ? new LinkedHashMap<>((Map<String, Object>) r) : new LinkedHashMap<>();
    if (resources.get("limits") instanceof Map<?, ?> limits && !limits.isEmpty()) {
      return;
    }
    resources.put("limits", ResourceLimits.forImage(image == null ? null : image.toString()));
    deploy.put("resources", resources);
    service.put("deploy", deploy);
  }

  private static Object volumes(Object value) {
    if (!(value instanceof Map<?, ?> volumes)) {
      return value;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    volumes.forEach((name, body) -> {
      if (body instanceof Map<?, ?> volume && ComposeRules.hasHostPathDriverOpts(volume)) {
        Map<Object, Object> kept = new LinkedHashMap<>(volume);
        kept.remove("driver_opts");
        out.put(name, kept.isEmpty() ? null : kept);
      } else {
        out.put(name, body);
      }
    });
    return out;
  }
}
