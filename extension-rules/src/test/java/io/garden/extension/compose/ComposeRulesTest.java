package io.garden.extension.compose;

import io.garden.common.model.Documents;
import io.garden.common.model.Finding;
import io.garden.common.model.Severity;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeRulesTest {

  private static final String OK_SERVICE = """
      image: kamiwazaai/notes-web:1.0.0
      ports: ["8080"]
      volumes: ["notes_data:/data"]
      extra_hosts: ["host.docker.internal:host-gateway"]
      deploy: {resources: {limits: {cpus: "1.0", memory: 1G}}}
      """;

  private static List<Finding> check(String yaml) {
    return check(Documents.parseYamlMapping(Path.of("x.yml"), yaml));
  }

  private static List<Finding> check(Map<String, Object> compose) {
    return ComposeRules.check(compose, new ComposeRules.Context("apps/notes", "notes", Set.of("/dev/shm:/dev/shm")));
  }

  /** A valid service with some keys replaced or added by {@code override} (YAML). */
  private static Map<String, Object> withService(String override) {
    Map<String, Object> service = new LinkedHashMap<>(Documents.parseYamlMapping(Path.of("base"), OK_SERVICE));
    if (!override.isBlank()) {
      service.putAll(Documents.parseYamlMapping(Path.of("override"), override));
    }
    Map<String, Object> volumes = new LinkedHashMap<>();
    volumes.put("notes_data", null);
    Map<String, Object> compose = new LinkedHashMap<>();
    compose.put("services", Map.of("web", service));
    compose.put("volumes", volumes);
    return compose;
  }

  @Test
  @DisplayName("a well-formed appgarden file has no findings")
  void cleanFile() {
    assertThat(check(withService(""))).isEmpty();
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("compose.host-port", "ports: [\"8080:8080\"]",
            "Service 'web': Port mapping '8080:8080' includes host port. Use only container port."),
        Arguments.of("compose.host-port", "ports: [{target: 80, published: 8081}]",
            "Service 'web': Port mapping '8081:80' includes host port. Use only container port."),
        Arguments.of("compose.bind-mount", "volumes: [\"./src:/app\"]",
            "Service 'web': Bind mount detected: './src:/app'. Only named volumes allowed."),
        Arguments.of("compose.bind-mount", "volumes: [{type: bind, source: /var/run, target: /r}]",
            "Service 'web': Bind mount detected: '/var/run:/r'. Only named volumes allowed."),
        Arguments.of("compose.build", "build: .",
            "Service 'web': Has 'build' section. Must use pre-built images only."),
        Arguments.of("compose.resource-limits", "deploy: {replicas: 1}",
            "Service 'web': Missing resource limits (deploy.resources.limits)"),
        Arguments.of("compose.host-gateway", "environment: [\"API=http://host.docker.internal:8080\"]\n"
                + "extra_hosts: [\"other:1.2.3.4\"]",
            "Service 'web': Uses host.docker.internal but extra_hosts lacks 'host.docker.internal:host-gateway'"),
        Arguments.of("compose.container-name", "container_name: web",
            "Service 'web': Has 'container_name'. App Garden names containers itself."),
        Arguments.of("compose.image-ref", "image: \"Not A Valid::Image\"",
            "Service 'web': Invalid image reference 'Not A Valid::Image'"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("violations")
  @DisplayName("each compose rule reports its violation as an error, with the service prefix")
  void ruleViolations(String rule, String override, String message) {
    List<Finding> findings = check(withService(override));

    assertThat(findings).filteredOn(f -> f.rule().equals(rule))
        .extracting(Finding::text).containsExactly(message);
    assertThat(findings).filteredOn(f -> f.rule().equals(rule)).allMatch(f -> f.severity() == Severity.ERROR);
  }

  @Test
  @DisplayName("an allowed bind mount, a registry with a port and a digest are all accepted")
  void accepted() {
    List<Finding> findings = check(withService(
        "volumes: [\"/dev/shm:/dev/shm\"]\nimage: \"localhost:5000/kamiwazaai/notes-web:1.0.0@sha256:"
            + "a".repeat(64) + "\""));

    assertThat(findings).isEmpty();
  }

  @Test
  @DisplayName("top-level networks, reserved volume prefixes and host-path driver_opts are errors")
  void topLevel() {
    List<Finding> findings = check("services:\n  web:\n" + OK_SERVICE.indent(4) + """
        networks: {default: {}}
        volumes:
          notes_data:
          kamiwaza-notes-cache:
          buildx_buildkit_notes:
          notes_pg: {driver_opts: {type: none, device: /srv/pg, o: bind}}
        """);

    assertThat(findings).extracting(Finding::rule).contains("compose.networks", "compose.driver-opts")
        .filteredOn("compose.volume-name"::equals).hasSize(2);
  }

  @Test
  @DisplayName("volumes and own images without the extension id get a warning, not an error")
  void namingWarnings() {
    List<Finding> findings = check("""
        services:
          web:
            image: kamiwazaai/other-thing:1.0.0
            deploy: {resources: {limits: {cpus: "1"}}}
        volumes:
          data:
        """);

    assertThat(findings).extracting(Finding::rule).containsExactlyInAnyOrder("compose.naming", "compose.naming");
    assertThat(findings).allMatch(f -> f.severity() == Severity.WARNING);
  }

  @Test
  @DisplayName("a file without services is an error")
  void noServices() {
    assertThat(check("version: '3'\n")).extracting(Finding::rule).containsExactly("compose.services");
  }
}
