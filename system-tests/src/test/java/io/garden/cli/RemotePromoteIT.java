package io.garden.cli;

import io.garden.build.BusyboxFixtures;
import io.garden.build.RequiresEngine;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventTypes;
import io.garden.common.images.ImageRegistryApi;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.model.ImageRef;
import io.garden.gateway.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * promote under GARDEN_URL goes through the gateway, on the real engine, the loopback image registry and a broker:
 * one checkout pushes, the gateway publishes and promotes (its registry worker tags the tested digest for prod and
 * publishes it on the gateway's prod store), and the decision is an access.decided like every other. It used to
 * refuse with exit 2, or before that act on a store of the laptop.
 */
@ExtendWith({KafkaBroker.class, RequiresEngine.class})
class RemotePromoteIT {

  @TempDir
  static Path temp;

  private static Path repo;
  private static Map<String, String> local;
  private static GardenNode node;
  private static EventTail events;
  private static NodeUnderTest running;

  @BeforeAll
  static void startNode() throws Exception {
    repo = Files.createDirectories(temp.resolve("extensions"));
    local = new HashMap<>();
    local.put("GARDEN_HOST", "it");
    local.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    local.put("DOCKER_HOST", RequiresEngine.dockerHost());
    local.put("GARDEN_IMAGE_REGISTRY", RequiresEngine.imageRegistry());
    GardenConfig config = GardenConfig.fromEnv(local).withStoreDefault(temp.resolve("gateway-store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(local).withPort(0).allowingPaths(List.of(repo));
    running = NodeUnderTest.start(local, config, gateway);
    node = running.node();
    events = running.events();
  }

  @AfterAll
  static void stopNode() {
    if (running != null) {
      running.close();
    }
  }


  @Test
  @DisplayName("GARDEN_URL=… garden promote tags stage's tested digest for prod and publishes it on the gateway's"
      + " prod, after an access.decided for the promote; the dry run changes nothing; no local store is made")
  void promoteGoesThroughTheGateway() throws Exception {
    String app = "rpromo-" + Long.toHexString(System.nanoTime());
    BusyboxFixtures.write(repo, app, "3.1.0", true);
    String at = "--repo=" + repo;
    ok(CliRun.of(local, "build", "app", app, at));
    ok(CliRun.of(local, "push", "--stage", "stage", "app", app, at));
    Map<String, String> remote = new HashMap<>(local);
    remote.put("GARDEN_URL", node.url());
    remote.put("GARDEN_API_TOKEN", node.token());
    ok(CliRun.of(remote, "publish-registry", "--stage", "stage", at));
    String api = RequiresEngine.imageRegistry() + "/kamiwazaai/" + app + "-api";
    Matcher pinned = Pattern.compile(Pattern.quote(api) + ":3\\.1\\.0-stage@(sha256:[0-9a-f]{64})")
        .matcher(index("stage"));
    assertThat(pinned.find()).as("the gateway pinned the push of another checkout: " + index("stage")).isTrue();
    String tested = pinned.group(1);

    CliRun dry = CliRun.of(remote, "promote", "app", app, "--from", "stage", "--to", "prod", "--dry-run", at);
    ok(dry);
    assertThat(dry.out()).contains("INSERT");
    assertThat(index("prod")).doesNotContain(app);

    CliRun promoted = CliRun.of(remote, "promote", "app", app, "--from", "stage", "--to", "prod", at);
    ok(promoted);
    assertThat(index("prod")).contains(api + ":3.1.0@" + tested).doesNotContain(app + "-api:3.1.0-stage");
    assertThat(ImageRegistryApi.shared().digestOf(ImageRef.parse(api + ":3.1.0"))).isEqualTo(tested);
    CliRun listed = CliRun.of(remote, "list-published", "--stage", "prod", at);
    assertThat(listed.out()).contains(app + " 3.1.0");
    assertThat(events.awaitEvent(e -> EventTypes.is(e, AccessDecided.class)
        && EventCodec.shared().payload(e, AccessDecided.class).action() == AccessAction.PROMOTE
        && EventCodec.shared().payload(e, AccessDecided.class).allowed())).isNotNull();
    assertThat(repo.resolve(".garden/store")).as("nothing acted on a store of this machine").doesNotExist();
  }

  private static String index(String stage) throws Exception {
    Path file = temp.resolve("gateway-store/" + stage + "/garden/v2/apps.json");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static void ok(CliRun run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
