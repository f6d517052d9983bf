package io.garden.validate.compose;

import io.garden.common.model.Finding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The invariant the old generator broke: whatever sync-compose writes passes compose validation. */
class SyncInvariantTest {

  /** Everything sync-compose is responsible for fixing. */
  private static final Set<String> FIXABLE = Set.of("compose.host-port", "compose.bind-mount", "compose.build",
      "compose.resource-limits", "compose.host-gateway", "compose.container-name", "compose.networks",
      "compose.driver-opts", "compose.image-ref");

  @Property(tries = 500)
  @Label("validate(sync(x)) has no compose error that sync-compose could have fixed")
  void syncOutputValidates(@ForAll("composeFiles") Map<String, Object> compose) {
    Map<String, Object> synced = ComposeSync.sync(new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), compose));

    List<Finding> errors = ComposeRules.check(synced, new ComposeRules.Context("apps/prop-ext", "prop-ext", Set.of()))
        .stream().filter(Finding::isError).filter(f -> FIXABLE.contains(f.rule())).toList();

    assertThat(errors).as("errors on %s", synced).isEmpty();
  }

  @Property(tries = 200)
  @Label("sync is idempotent: syncing its own output changes nothing")
  void syncIsIdempotent(@ForAll("composeFiles") Map<String, Object> compose) {
    var input = new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), compose);
    Map<String, Object> once = ComposeSync.sync(input);
    Map<String, Object> twice = ComposeSync.sync(new ComposeSync.Input("prop-ext", "1.2.3", Set.of(), once));

    assertThat(twice).isEqualTo(once);
  }

  @Provide
  Arbitrary<Map<String, Object>> composeFiles() {
    Arbitrary<Map<String, Object>> services = Arbitraries.maps(
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8), service())
        .ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(services, Arbitraries.of(true, false), volumesSection())
        .as((s, networks, volumes) -> {
          Map<String, Object> compose = new LinkedHashMap<>();
          compose.put("services", new LinkedHashMap<>(s));
          if (networks) {
            compose.put("networks", Map.of("backend", Map.of("driver", "bridge")));
          }
          compose.put("volumes", volumes);
          return compose;
        });
  }

  private Arbitrary<Object> service() {
    Arbitrary<Object> build = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(".", "./api", "web"),
        Arbitraries.of(Map.of("context", "./backend", "dockerfile", "Dockerfile")));
    Arbitrary<Object> image = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of(
        "postgres:16", "redis:7", "nginx:1.27", "kamiwazaai/prop-ext-api:v0.1.0-dev", "kamiwazaai/prop-ext",
        "localhost:5000/kamiwazaai/prop-ext-worker:old", "ghcr.io/acme/tool:2.0"));
    Arbitrary<List<Object>> ports = Arbitraries.oneOf(
        Arbitraries.of("8080:8080", "127.0.0.1:80:80", "9000", "${HP:-1}:${CP:-2}", "5353:53/udp",
            "[::1]:8443:443"),
        Arbitraries.integers().between(1, 65535).map(i -> (Object) i),
        Arbitraries.of(Map.of("target", 80, "published", 8080), Map.of("target", 443))
    ).list().ofMaxSize(4);
    Arbitrary<List<Object>> volumes = Arbitraries.oneOf(
        Arbitraries.of("prop_ext_data:/data", "/etc/localtime:/etc/localtime:ro", "./src:/app", "../x:/x",
            "~/.cache:/cache", "/anonymous", "${PWD}/conf:/conf"),
        Arbitraries.of(Map.of("type", "bind", "source", "/var/run", "target", "/r"),
            Map.of("type", "volume", "source", "prop_ext_more", "target", "/more"))
    ).list().ofMaxSize(4);
    Arbitrary<Object> environment = Arbitraries.oneOf(Arbitraries.just(null),
        Arbitraries.of(List.of("URL=http://host.docker.internal:8080"), List.of("A=1")),
        Arbitraries.of(Map.of("URL", "http://host.docker.internal:{model_port}")));
    Arbitrary<Object> extraHosts = Arbitraries.oneOf(Arbitraries.just(null),
        Arbitraries.of(List.of("db.local:10.0.0.1"), Map.of("metrics", "10.0.0.2")));
    Arbitrary<Object> deploy = Arbitraries.oneOf(Arbitraries.just(null),
        Arbitraries.of(Map.of("replicas", 2), Map.of("resources", Map.of("limits", Map.of("memory", "2G"))),
            Map.of("resources", Map.of("reservations", Map.of("memory", "1G")))));
    Arbitrary<Object> command = Arbitraries.oneOf(Arbitraries.just(null),
        Arbitraries.of("sh -c \"\n  echo $PORT\n  exec run\n\"", "run --port 80", List.of("run", "$X")));
    Arbitrary<Boolean> flags = Arbitraries.of(true, false);
    return Combinators.combine(List.of(build, image, ports.map(p -> p), volumes.map(v -> v), environment,
            extraHosts, deploy, command, flags.map(b -> b), flags.map(b -> b)))
        .as(parts -> {
          Map<String, Object> service = new LinkedHashMap<>();
          String[] keys = {"build", "image", "ports", "volumes", "environment", "extra_hosts", "deploy", "command"};
          for (int i = 0; i < keys.length; i++) {
            if (parts.get(i) != null) {
              service.put(keys[i], parts.get(i));
            }
          }
          if ((Boolean) parts.get(8)) {
            service.put("container_name", "fixed-name");
          }
          if ((Boolean) parts.get(9)) {
            service.put("networks", List.of("backend"));
          }
          return service;
        });
  }

  private Arbitrary<Map<String, Object>> volumesSection() {
    return Arbitraries.of(true, false).map(hostPath -> {
      Map<String, Object> volumes = new LinkedHashMap<>();
      volumes.put("prop_ext_data", null);
      if (hostPath) {
        volumes.put("prop_ext_pg", Map.of("driver", "local",
            "driver_opts", Map.of("type", "none", "device", "/srv/pg", "o", "bind")));
      }
      return volumes;
    });
  }
}
