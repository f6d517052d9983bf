package io.garden.cli;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.KnownSettings;
import io.garden.common.config.KnownSettings.Component;
import io.garden.common.model.Documents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml at the root, read as compose reads it, against the rules of a deployment people can run. */
class ComposeFileTest {

  private static final Path ROOT = ExamplesRepo.root();
  private static final Map<String, Object> COMPOSE = Documents.readYamlMapping(ROOT.resolve("docker-compose.yml"));
  private static final Set<String> RESTART_POLICIES = Set.of("always", "unless-stopped", "on-failure");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) COMPOSE.get("services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(Map<String, Object> service) {
    Object env = service.get("environment");
    return env == null ? Map.of() : (Map<String, Object>) env;
  }

  private static String envExample() throws IOException {
    return Files.readString(ROOT.resolve(".env.example"));
  }

  @Test
  @DisplayName("the deployment has Kafka, MinIO and its set-up, an image registry, the gateway and the three workers")
  void everyComponentIsThere() {
    assertThat(services()).containsKeys("kafka", "minio", "minio-setup", "registry", "gateway", "build-worker",
        "validate-worker", "registry-worker");
  }

  @Test
  @DisplayName("every service has a pinned image, a health check and a restart policy")
  void imagesHealthChecksRestarts() {
    services().forEach((name, service) -> {
      // As compose would run it with nothing set in .env: ${NAME:-default} is the default.
      String image = String.valueOf(service.get("image")).replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
      assertThat(image).as(name + " image").matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
      @SuppressWarnings("unchecked")
      Map<String, Object> health = (Map<String, Object>) service.get("healthcheck");
      assertThat(health).as(name + " healthcheck").isNotNull();
      assertThat((List<?>) health.get("test")).as(name + " healthcheck test").isNotEmpty();
      assertThat(service.get("restart")).as(name + " restart").isIn(RESTART_POLICIES.toArray());
    });
  }

  @Test
  @DisplayName("Kafka is the official image in KRaft mode, and creates no topics by itself")
  void kafkaInKraftMode() {
    Map<String, Object> kafka = services().get("kafka");
    assertThat(String.valueOf(kafka.get("image"))).startsWith("apache/kafka:");
    assertThat(environment(kafka)).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
  }

  @Test
  @DisplayName("no host bind mounts but the Docker socket of the build worker: everything else is a named volume")
  void onlyNamedVolumes() {
    @SuppressWarnings("unchecked")
    Set<String> named = ((Map<String, Object>) COMPOSE.get("volumes")).keySet();
    List<String> binds = new ArrayList<>();
    services().forEach((name, service) -> {
      for (Object entry : (List<?>) service.getOrDefault("volumes", List.of())) {
        String source = String.valueOf(entry).split(":")[0];
        if (!named.contains(source)) {
          binds.add(name + " " + entry);
        }
      }
    });
    assertThat(binds).containsExactly("build-worker /var/run/docker.sock:/var/run/docker.sock");
  }

  @Test
  @DisplayName("every setting a service reads is set in its environment or documented in .env.example")
  void everySettingIsSetOrDocumented() throws IOException {
    String documented = envExample();
    List<String> missing = new ArrayList<>();
    for (Component component : List.of(Component.GATEWAY, Component.BUILD_WORKER, Component.VALIDATE_WORKER,
        Component.REGISTRY_WORKER)) {
      Map<String, Object> env = environment(services().get(component.id()));
      for (KnownSettings.Setting setting : KnownSettings.ALL) {
        String name = setting.name().replace("{STAGE}", "PROD");
        if (setting.readBy(component) && !env.containsKey(name) && !documented.contains(name + "=")) {
          missing.add(component.id() + ": " + name);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  @DisplayName("every variable the file takes from .env is in .env.example")
  void everyInterpolationIsDocumented() throws IOException {
    String documented = envExample();
    Set<String> missing = new TreeSet<>();
    Matcher m = INTERPOLATION.matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
    while (m.find()) {
      if (!documented.contains(m.group(1) + "=")) {
        missing.add(m.group(1));
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  @DisplayName("no secret is written in the file: each comes from .env")
  void noSecretsInTheFile() {
    List<String> literal = new ArrayList<>();
    services().forEach((name, service) -> environment(service).forEach((key, value) -> {
      boolean secret = KnownSettings.find(key).map(KnownSettings.Setting::secret).orElse(false)
          || key.contains("PASSWORD") || key.contains("SECRET") || key.contains("TOKEN");
      if (secret && !String.valueOf(value).startsWith("${")) {
        literal.add(name + " " + key);
      }
    }));
    assertThat(literal).isEmpty();
    assertThat(services().get("gateway").get("environment").toString())
        .contains("GARDEN_API_TOKEN=${GARDEN_API_TOKEN:?");
  }

  @Test
  @SuppressWarnings("unchecked")
  @DisplayName("our services run the images mvn -Pimages package builds, and share one health check command")
  void ourImages() {
    for (String service : List.of("gateway", "build-worker", "validate-worker", "registry-worker")) {
      assertThat(String.valueOf(services().get(service).get("image"))).startsWith("garden/" + service + ":");
      @SuppressWarnings("unchecked")
      Map<String, Object> health = (Map<String, Object>) services().get(service).get("healthcheck");
      assertThat((List<Object>) health.get("test")).contains("io.garden.common.service.HealthCheck");
    }
  }
}
