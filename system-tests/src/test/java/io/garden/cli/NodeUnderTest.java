package io.garden.cli;

import io.garden.common.config.GardenConfig;
import io.garden.common.kafka.EventTail;
import io.garden.common.kafka.KafkaBroker;
import io.garden.common.kafka.Topics;
import io.garden.gateway.GatewayConfig;
import io.vertx.core.Vertx;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** A whole node in this JVM on the test broker, with a reader of its audit stream; closed together. */
record NodeUnderTest(GardenNode node, Vertx vertx, EventTail events) implements AutoCloseable {

  static NodeUnderTest start(Map<String, String> env, GardenConfig config, GatewayConfig gateway) {
    return of(GardenNode.start(env, config, gateway, new PrintWriter(new StringWriter())));
  }

  /** A node running only {@code role}: a gateway alone, whose build workers are elsewhere. */
  static NodeUnderTest start(Map<String, String> env, GardenConfig config, GatewayConfig gateway,
                             GardenNode.Role role) {
    return of(GardenNode.start(env, config, gateway, new PrintWriter(new StringWriter()), java.util.EnumSet.of(role)));
  }

  private static NodeUnderTest of(GardenNode node) {
    Vertx vertx = Vertx.vertx();
    return new NodeUnderTest(node, vertx, new EventTail(vertx, KafkaBroker.bootstrapServers(), Topics.EVENTS));
  }

  @Override
  public void close() {
    events.close();
    vertx.close().await();
    node.close();
  }
}
