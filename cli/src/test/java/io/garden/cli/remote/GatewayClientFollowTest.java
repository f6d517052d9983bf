package io.garden.cli.remote;

import com.sun.net.httpserver.HttpServer;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.Envelope;
import io.garden.common.event.StepSkipped;
import io.garden.common.event.StepName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Following a pipeline's events through a real HTTP server that plays a gateway behind a load balancer. */
class GatewayClientFollowTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(int notFoundFirst, AtomicInteger asked) throws Exception {
    Envelope event = EventCodec.shared().envelope(new StepSkipped(StepName.BUILD, "*", "no engine"),
        new EventContext("p-1", "p-1", "it", "gw"));
    byte[] stream = ("id: 0:1\nevent: step.skipped\ndata: " + new String(EventCodec.shared().encode(event),
        StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/events", exchange -> {
      if (asked.incrementAndGet() <= notFoundFirst) {
        byte[] body = "{\"error\":\"no pipeline p-1 (garden pipelines lists them)\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
      } else {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, stream.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(stream);
        }
      }
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  @DisplayName("a 404 for a pipeline just accepted elsewhere is 'not yet': the client asks again and gets its events")
  void aBriefNotFoundIsRetried() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    GatewayClient client = new GatewayClient(serve(1, asked), "t");
    List<String> notices = new ArrayList<>();
    client.onReconnect(notices::add);
    List<String> seen = new ArrayList<>();

    client.follow("pipeline=p-1", e -> seen.add(e.type()));

    assertThat(seen).containsExactly("step.skipped");
    assertThat(asked.get()).isEqualTo(2);
    assertThat(notices).singleElement().asString().contains("no pipeline p-1");
  }

  @Test
  @DisplayName("a 404 that lasts is the answer: following ends with the gateway's words")
  void aLastingNotFoundEnds() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    GatewayClient client = new GatewayClient(serve(Integer.MAX_VALUE, asked), "t")
        .notYetFor(java.time.Duration.ofMillis(500));

    assertThatThrownBy(() -> client.follow("pipeline=p-1", e -> true)).isInstanceOf(RemoteException.class)
        .hasMessageContaining("no pipeline p-1");
    assertThat(asked.get()).as("asked again while it could be 'not yet', then stopped").isEqualTo(2);
  }
}
