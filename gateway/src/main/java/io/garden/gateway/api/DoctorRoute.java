package io.garden.gateway.api;

import io.garden.common.config.GardenConfig;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.kafka.ConsumerGroups;
import io.garden.common.model.Stage;
import io.garden.common.store.ObjectStore;
import io.garden.common.store.ObjectStores;
import io.garden.gateway.http.Replies;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/doctor}: the deployment as this gateway sees it — Kafka, the workers in their groups (build
 * workers are what "the container engine" means to a pipeline), the image registry and each stage's store. What
 * {@code garden doctor} shows under {@code GARDEN_URL}, instead of checking the caller's own laptop.
 */
public final class DoctorRoute {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final GardenConfig config;
  private final Path defaultRoot;
  private final Supplier<Admin> admin;
  private final Supplier<List<String>> kafkaProblems;

  public DoctorRoute(Vertx vertx, GardenConfig config, Path defaultRoot, Supplier<Admin> admin,
                     Supplier<List<String>> kafkaProblems) {
    this.vertx = vertx;
    this.config = config;
    this.defaultRoot = defaultRoot;
    this.admin = admin;
    this.kafkaProblems = kafkaProblems;
  }

  public void mount(Router router) {
    router.get("/api/v1/doctor").handler(this::doctor);
  }

  private void doctor(RoutingContext ctx) {
    vertx.executeBlocking(this::findings, false)
        .onSuccess(findings -> Replies.json(ctx, 200, Map.of("findings", findings)))
        .onFailure(ctx::fail);
  }

  private List<Map<String, Object>> findings() {
    List<Map<String, Object>> findings = new ArrayList<>();
    List<String> kafka = kafkaProblems.get();
    findings.add(kafka.isEmpty() ? finding("kafka", "OK", "the gateway's brokers answer, topics in place", null)
        : finding("kafka", "FAIL", String.join("; ", kafka), "see the gateway's /ready and the brokers' logs"));
    int builders = members(ConsumerGroups.BUILD_WORKER);
    findings.add(builders > 0 ? finding("container engine", "OK", builders + " build worker(s) present", null)
        : finding("container engine", "FAIL", "no build worker is present: pipelines cannot build, test or push",
            "start one where a container engine runs: garden worker build (DOCKER_HOST set)"));
    for (String group : List.of(ConsumerGroups.VALIDATE_WORKER, ConsumerGroups.REGISTRY_WORKER)) {
      int present = members(group);
      findings.add(present > 0 ? finding("workers", "OK", present + " " + group + "(s) present", null)
          : finding("workers", "FAIL", "no " + group + " is present", "start one: garden worker "
              + group.replace("-worker", "")));
    }
    findings.add(imageRegistry());
    for (Stage stage : Stage.values()) {
      findings.add(store(stage));
    }
    return findings;
  }

  private int members(String group) {
    try {
      ConsumerGroupDescription described = admin.get().describeConsumerGroups(List.of(group)).describedGroups()
          .get(group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return described.members().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      return 0;
    }
  }

  private Map<String, Object> imageRegistry() {
    String registry = config.imageRegistry();
    if (registry == null || registry.isBlank()) {
      return finding("image registry", "SKIP", "GARDEN_IMAGE_REGISTRY is not set on the gateway: images go to"
          + " Docker Hub", null);
    }
    String host = registry.replaceAll("/+$", "");
    try {
      int status = ImageRegistryApi.ping(host, TIMEOUT);
      return status == 200 || status == 401
          ? finding("image registry", "OK", host + " answers the registry API", null)
          : finding("image registry", "FAIL", host + " answers HTTP " + status + " at /v2/",
              "point GARDEN_IMAGE_REGISTRY at a Docker registry v2");
    } catch (java.io.IOException | IllegalArgumentException e) {
      return finding("image registry", "FAIL", "nothing answers at " + host, "start the registry, or fix"
          + " GARDEN_IMAGE_REGISTRY on the gateway and the workers");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finding("image registry", "FAIL", "interrupted", null);
    }
  }

  private Map<String, Object> store(Stage stage) {
    try (ObjectStore store = ObjectStores.open(config.store(stage), defaultRoot)) {
      store.list("garden/");
      return finding("object store", "OK", store.describe() + " (" + stage.id() + ") can be read", null);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return finding("object store", "FAIL", "store for " + stage.id() + ": " + reason.replaceFirst("^Error: ", ""),
          reason.contains("migrate-store") ? "garden migrate-store --to STAGE, where the store is"
              : "fix GARDEN_STORE (or GARDEN_STORE_" + stage.name() + ") on the gateway and the registry workers");
    }
  }

  private static Map<String, Object> finding(String part, String status, String detail, String fix) {
    Map<String, Object> finding = new LinkedHashMap<>();
    finding.put("part", part);
    finding.put("status", status);
    finding.put("detail", detail);
    finding.put("fix", fix);
    return finding;
  }
}
