package io.garden.extension.compose;

import io.garden.common.model.Finding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariant the old generator broke: whatever sync-compose writes passes compose validation. Properties over
 * generated compose files: a fixed number of cases from a seeded generator, the seed and case in every failure
 * (rerun one with {@code -Dgarden.seed=N}).
 */
class SyncInvariantTest {

  /** Everything sync-compose is responsible for fixing. */
  private static final Set<String> FIXABLE = Set.of("compose.host-port", "compose.bind-mount", "compose.build",
      "compose.resource-limits", "compose.host-gateway", "compose.container-name", "compose.networks",
      "compose.driver-opts", "compose.image-ref");

  private static final long SEED = Long.getLong("garden.seed", 20261125L);

  @Test
  @DisplayName("validate(sync(x)) has no compose error that sync-compose could have fixed")
  void syncOutputValidates() {
    forEachCase(500, (compose, where) -> {
      Map<String, Object> synced = ComposeSync.sync(new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), compose));

      List<Finding> errors = ComposeRules.check(synced, new ComposeRules.Context("apps/prop-ext", "prop-ext",
          Set.of())).stream().filter(Finding::isError).filter(f -> FIXABLE.contains(f.rule())).toList();

      assertThat(errors).as("%s: errors on %s", where, synced).isEmpty();
    });
  }

  @Test
  @DisplayName("sync is idempotent: syncing its own output changes nothing")
  void syncIsIdempotent() {
    forEachCase(200, (compose, where) -> {
      Map<String, Object> once = ComposeSync.sync(new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), compose));
      Map<String, Object> twice = ComposeSync.sync(new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), once));

      assertThat(twice).as("%s", where).isEqualTo(once);
    });
  }

  private interface Case {
    void check(Map<String, Object> compose, String where);
  }

  private static void forEachCase(int cases, Case property) {
    for (int i = 0; i < cases; i++) {
      long seed = SEED + i;
      Map<String, Object> compose = new ComposeFiles(new Random(seed)).composeFile();
      property.check(compose, "case " + i + " (-Dgarden.seed=" + seed + ", input " + compose + ")");
    }
  }

  /** Compose files of the shapes the old generator met: builds, ports, bind mounts, networks, limits. */
  private static final class ComposeFiles {
    private final Random random;

    ComposeFiles(Random random) {
      this.random = random;
    }

    Map<String, Object> composeFile() {
      Map<String, Object> services = new LinkedHashMap<>();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        services.put(name(), service());
      }
      Map<String, Object> compose = new LinkedHashMap<>();
      compose.put("services", services);
      if (random.nextBoolean()) {
        compose.put("networks", Map.of("backend", Map.of("driver", "bridge")));
      }
      compose.put("volumes", volumesSection());
      return compose;
    }

    private String name() {
      StringBuilder name = new StringBuilder();
      int length = 1 + random.nextInt(8);
      for (int i = 0; i < length; i++) {
        name.append((char) ('a' + random.nextInt(26)));
      }
      return name.toString();
    }

    private Map<String, Object> service() {
      Map<String, Object> service = new LinkedHashMap<>();
      maybe(service, "build", oneOf(".", "./api", "web", Map.of("context", "./backend", "dockerfile", "Dockerfile")));
      maybe(service, "image", oneOf("postgres:16", "redis:7", "nginx:1.27", "kamiwazaai/prop-ext-api:v0.1.0-dev",
          "kamiwazaai/prop-ext", "localhost:5000/kamiwazaai/prop-ext-worker:old", "ghcr.io/acme/tool:2.0"));
      service.put("ports", listOf(() -> switch (random.nextInt(3)) {
        case 0 -> oneOf("8080:8080", "127.0.0.1:80:80", "9000", "${HP:-1}:${CP:-2}", "5353:53/udp",
            "[::1]:8443:443");
        case 1 -> 1 + random.nextInt(65535);
        default -> oneOf(Map.of("target", 80, "published", 8080), Map.of("target", 443));
      }));
      service.put("volumes", listOf(() -> random.nextInt(4) > 0
          ? oneOf("prop_ext_data:/data", "/etc/localtime:/etc/localtime:ro", "./src:/app", "../x:/x",
              "~/.cache:/cache", "/anonymous", "${PWD}/conf:/conf")
          : oneOf(Map.of("type", "bind", "source", "/var/run", "target", "/r"),
              Map.of("type", "volume", "source", "prop_ext_more", "target", "/more"))));
      maybe(service, "environment", oneOf(List.of("URL=http://host.docker.internal:8080"), List.of("A=1"),
          Map.of("URL", "http://host.docker.internal:{model_port}")));
      maybe(service, "extra_hosts", oneOf(List.of("db.local:10.0.0.1"), Map.of("metrics", "10.0.0.2")));
      maybe(service, "deploy", oneOf(Map.of("replicas", 2),
          Map.of("resources", Map.of("limits", Map.of("memory", "2G"))),
          Map.of("resources", Map.of("reservations", Map.of("memory", "1G")))));
      maybe(service, "command", oneOf("sh -c \"\n  echo $PORT\n  exec run\n\"", "run --port 80",
          List.of("run", "$X")));
      if (random.nextBoolean()) {
        service.put("container_name", "fixed-name");
      }
      if (random.nextBoolean()) {
        service.put("networks", List.of("backend"));
      }
      return service;
    }

    private Map<String, Object> volumesSection() {
      Map<String, Object> volumes = new LinkedHashMap<>();
      volumes.put("prop_ext_data", null);
      if (random.nextBoolean()) {
        volumes.put("prop_ext_pg", Map.of("driver", "local",
            "driver_opts", Map.of("type", "none", "device", "/srv/pg", "o", "bind")));
      }
      return volumes;
    }

    /** A key present about two times in three, like the optional keys of real files. */
    private void maybe(Map<String, Object> service, String key, Object value) {
      if (random.nextInt(3) > 0) {
        service.put(key, value);
      }
    }

    private Object oneOf(Object... values) {
      return values[random.nextInt(values.length)];
    }

    private List<Object> listOf(java.util.function.Supplier<Object> element) {
      int size = random.nextInt(5);
      List<Object> list = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        list.add(element.get());
      }
      return list;
    }
  }
}
