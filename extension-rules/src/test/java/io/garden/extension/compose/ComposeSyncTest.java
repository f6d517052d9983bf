package io.garden.extension.compose;

import io.garden.common.model.Documents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class ComposeSyncTest {

  private static Map<String, Object> sync(String yaml) {
    return sync(yaml, Set.of());
  }

  private static Map<String, Object> sync(String yaml, Set<String> allowed) {
    return ComposeSync.sync(new ComposeSync.Input("notes", "1.2.3", allowed,
        Documents.parseYamlMapping(Path.of("docker-compose.yml"), yaml)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }

  @Nested
  @DisplayName("rule 1: build and image names")
  class BuildAndImage {
    @Test
    @DisplayName("build is removed and a sub-folder service gets kamiwazaai/{ext}-{folder}:{version}")
    void subFolderBuild() {
      var web = service(sync("services:\n  backend:\n    build: {context: ./backend}\n"), "backend");
      assertThat(web).doesNotContainKey("build").containsEntry("image", "kamiwazaai/notes-backend:1.2.3");
    }

    @Test
    @DisplayName("a root build context gets kamiwazaai/{ext}:{version}, as build and push name it")
    void rootBuild() {
      assertThat(service(sync("services:\n  web:\n    build: .\n"), "web"))
          .containsEntry("image", "kamiwazaai/notes:1.2.3");
    }

    @Test
    @DisplayName("a service with both build and image keeps its image (retagged)")
    void buildAndImage() {
      assertThat(service(sync("services:\n  t:\n    build: .\n    image: kamiwazaai/notes-tool:v0.1\n"), "t"))
          .doesNotContainKey("build").containsEntry("image", "kamiwazaai/notes-tool:1.2.3");
    }
  }

  @Nested
  @DisplayName("rule 2: own image tags")
  class ImageTags {
    @Test
    @DisplayName("kamiwazaai images get the version as tag, a leading v dropped")
    void ownImages() {
      assertThat(service(sync("services:\n  s:\n    image: kamiwazaai/notes:v0.9.0-dev\n"), "s"))
          .containsEntry("image", "kamiwazaai/notes:1.2.3");
    }

    @Test
    @DisplayName("a registry with a port is kept intact (the old tool mangled it)")
    void registryPort() {
      assertThat(service(sync("services:\n  s:\n    image: registry.local:5000/kamiwazaai/notes:old\n"), "s"))
          .containsEntry("image", "registry.local:5000/kamiwazaai/notes:1.2.3");
    }

    @Test
    @DisplayName("external images are untouched")
    void externalImages() {
      assertThat(service(sync("services:\n  db:\n    image: postgres:16-alpine\n"), "db"))
          .containsEntry("image", "postgres:16-alpine");
    }
  }

  @Nested
  @DisplayName("rule 3: ports")
  class Ports {
    @Test
    @DisplayName("short syntax keeps only the container port, with any host address or interpolation dropped")
    void shortSyntax() {
      var s = service(sync("""
          services:
            s:
              image: redis:7
              ports: ["3000:3000", "127.0.0.1:80:80", "9091", "${HOST:-1}:${PORT:-2}", "5353:53/udp", 8080]
          """), "s");
      assertThat((List<Object>) s.get("ports")).containsExactly("3000", "80", "9091", "${PORT:-2}", "53/udp", 8080);
    }

    @Test
    @DisplayName("long syntax keeps target (and protocol) only")
    void longSyntax() {
      var s = service(sync("""
          services:
            s:
              image: redis:7
              ports:
                - {target: 80, published: 8080, protocol: tcp, host_ip: 0.0.0.0}
          """), "s");
      assertThat((List<Object>) s.get("ports")).containsExactly(Map.of("target", 80, "protocol", "tcp"));
    }
  }

  @Nested
  @DisplayName("rule 4: volumes")
  class Volumes {
    @Test
    @DisplayName("bind mounts (/x, ./x, ../x, ~/x, long type: bind) are removed; named and anonymous stay")
    void bindMountsRemoved() {
      var s = service(sync("""
          services:
            s:
              image: redis:7
              volumes:
                - data:/data
                - /etc/localtime:/etc/localtime:ro
                - ./src:/app/src
                - ../shared:/shared
                - ~/cache:/cache
                - /anonymous
                - {type: bind, source: ./x, target: /x}
                - {type: volume, source: more, target: /more}
          """), "s");
      assertThat((List<Object>) s.get("volumes")).containsExactly(
          "data:/data", "/anonymous", Map.of("type", "volume", "source", "more", "target", "/more"));
    }

    @Test
    @DisplayName("exact strings in validation.allowed_bind_mounts stay")
    void allowedBindMountsStay() {
      var s = service(sync("services:\n  s:\n    image: redis:7\n    volumes: [\"/dev/shm:/dev/shm\", \"./x:/x\"]\n",
          Set.of("/dev/shm:/dev/shm")), "s");
      assertThat((List<Object>) s.get("volumes")).containsExactly("/dev/shm:/dev/shm");
    }
  }

  @Nested
  @DisplayName("rule 5: extra_hosts")
  class ExtraHosts {
    @Test
    @DisplayName("host.docker.internal:host-gateway is added to list form, map form and when absent")
    void added() {
      var c = sync("""
          services:
            a: {image: redis:7}
            b: {image: redis:7, extra_hosts: ["db.local:10.0.0.1"]}
            c: {image: redis:7, extra_hosts: {db.local: 10.0.0.1}}
          """);
      assertThat((List<Object>) service(c, "a").get("extra_hosts")).containsExactly("host.docker.internal:host-gateway");
      assertThat((List<Object>) service(c, "b").get("extra_hosts"))
          .containsExactly("db.local:10.0.0.1", "host.docker.internal:host-gateway");
      assertThat((Map<Object, Object>) service(c, "c").get("extra_hosts")).containsEntry("host.docker.internal", "host-gateway");
    }

    @Test
    @DisplayName("an existing host.docker.internal entry is kept as is")
    void keptWhenPresent() {
      var s = service(sync("services:\n  a: {image: redis:7, extra_hosts: [\"host.docker.internal:172.17.0.1\"]}\n"), "a");
      assertThat((List<Object>) s.get("extra_hosts")).containsExactly("host.docker.internal:172.17.0.1");
    }
  }

  @Nested
  @DisplayName("rule 6: resource limits")
  class Limits {
    @Test
    @DisplayName("limits are chosen by image when missing")
    void byImage() {
      var c = sync("""
          services:
            db: {image: postgres:16}
            my: {image: mysql:8}
            cache: {image: redis:7}
            web: {image: nginx:1}
            app: {image: kamiwazaai/notes-backend:1}
          """);
      assertThat(limits(c, "db")).isEqualTo(Map.of("cpus", "0.5", "memory", "512M"));
      assertThat(limits(c, "my")).isEqualTo(Map.of("cpus", "0.5", "memory", "512M"));
      assertThat(limits(c, "cache")).isEqualTo(Map.of("cpus", "0.25", "memory", "256M"));
      assertThat(limits(c, "web")).isEqualTo(Map.of("cpus", "0.5", "memory", "512M"));
      assertThat(limits(c, "app")).isEqualTo(Map.of("cpus", "1.0", "memory", "1G"));
    }

    @Test
    @DisplayName("existing limits are kept, and other deploy settings survive")
    void existingKept() {
      var c = sync("services:\n  a: {image: redis:7, deploy: {replicas: 1, resources: {limits: {memory: 2G}}}}\n");
      assertThat(limits(c, "a")).isEqualTo(Map.of("memory", "2G"));
      assertThat((Map<Object, Object>) service(c, "a").get("deploy")).containsEntry("replicas", 1);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> limits(Map<String, Object> c, String s) {
      var deploy = (Map<String, Object>) service(c, s).get("deploy");
      return (Map<String, Object>) ((Map<String, Object>) deploy.get("resources")).get("limits");
    }
  }

  @Nested
  @DisplayName("rule 7: names and networks")
  class NamesAndNetworks {
    @Test
    @DisplayName("container_name, service networks and top-level networks are removed")
    void removed() {
      var c = sync("""
          services:
            a: {image: redis:7, container_name: cache, networks: [backend]}
          networks:
            backend: {}
          """);
      assertThat(c).doesNotContainKey("networks");
      assertThat(service(c, "a")).doesNotContainKeys("container_name", "networks");
    }

    @Test
    @DisplayName("top-level volume driver_opts pointing at host paths are removed")
    void driverOpts() {
      var c = sync("""
          services:
            a: {image: redis:7}
          volumes:
            pg: {driver: local, driver_opts: {type: none, device: /srv/pg, o: bind}}
            plain:
          """);
      assertThat((Map<Object, Object>) c.get("volumes")).containsEntry("pg", Map.of("driver", "local")).containsKey("plain");
    }
  }

  @Nested
  @DisplayName("rule 8: multi-line shell commands")
  class Commands {
    @Test
    @DisplayName("a multi-line sh -c string becomes exec form with $VAR escaped as $$VAR")
    void multiLine() {
      var s = service(sync("services:\n  a:\n    image: redis:7\n    command: |\n      sh -c \"\n        echo $PORT ${HOST}\n        exec run $$KEEP\n      \"\n"), "a");
      assertThat(s.get("command")).isEqualTo(List.of("sh", "-c", "echo $$PORT $${HOST}\nexec run $$KEEP"));
    }

    @Test
    @DisplayName("single-line and list commands are untouched")
    void others() {
      var c = sync("services:\n  a: {image: redis:7, command: \"sh -c 'echo $X'\"}\n  b: {image: redis:7, command: [run, $X]}\n");
      assertThat(service(c, "a").get("command")).isEqualTo("sh -c 'echo $X'");
      assertThat(service(c, "b").get("command")).isEqualTo(List.of("run", "$X"));
    }
  }

  @Nested
  @DisplayName("rules 9 and 10: literal values, key order, local-only services")
  class OrderAndProfiles {
    @Test
    @DisplayName("environment values and interpolations are kept literally, in order")
    void literal() {
      var s = service(sync("services:\n  a:\n    image: redis:7\n    environment:\n      Z: ${Z:-1}\n      A: \"01\"\n"), "a");
      assertThat(((Map<Object, Object>) s.get("environment")).keySet()).containsExactly("Z", "A");
      assertThat((Map<Object, Object>) s.get("environment")).containsEntry("Z", "${Z:-1}").containsEntry("A", "01");
      assertThat(s.keySet()).startsWith("image", "environment");
    }

    @Test
    @DisplayName("services gated by profiles are left out, and so are dependencies on them")
    void profiles() {
      var c = sync("""
          services:
            app: {image: redis:7, depends_on: [db, debug]}
            db: {image: postgres:16}
            debug: {image: adminer:4, profiles: [debug]}
          """);
      assertThat(((Map<Object, Object>) c.get("services")).keySet()).containsExactly("app", "db");
      assertThat((List<Object>) service(c, "app").get("depends_on")).containsExactly("db");
    }
  }

  @Test
  @DisplayName("sync leaves its input untouched")
  void inputUntouched() {
    var input = Documents.parseYamlMapping(Path.of("x"), "services:\n  a: {build: ., ports: [\"1:1\"]}\n");
    String before = input.toString();
    ComposeSync.sync(new ComposeSync.Input("x", "1.0.0", Set.of(), input));
    assertThat(input.toString()).isEqualTo(before);
  }
}
