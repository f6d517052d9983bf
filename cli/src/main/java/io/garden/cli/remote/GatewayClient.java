package io.garden.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventCodec;
import io.garden.common.event.MalformedEventException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Talks to a gateway's API for the CLI (remote mode, and local mode through the node it starts): submit, follow
 * the events of a pipeline, fetch its state and artifacts. Errors come back as one line in the user's words, never
 * the gateway's raw JSON.
 */
public final class GatewayClient {

  private static final long MAX_BACKOFF_MS = 15_000;
  private java.util.function.Consumer<String> reconnect = notice -> { };
  private java.time.Duration giveUpAfter;

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final EventCodec codec = EventCodec.shared();

  /** The token is the whole identity: the gateway records the principal it belongs to, never a name we send. */
  public GatewayClient(String url, String token) {
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.token = token;
  }

  public String url() {
    return base.toString();
  }

  /**
   * Submits a pipeline under a fresh {@code Idempotency-Key}: when the gateway is unreachable or Kafka is away
   * (503), the same request is tried again a few times with back-off, and a retry of a request that did get
   * through finds that pipeline instead of starting a second one.
   *
   * @return the pipeline's id
   */
  public String submit(JsonNode request) {
    HttpRequest post = request("/api/v1/pipelines").header("Content-Type", "application/json")
        .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(request))).build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202 || response.statusCode() == 200) {
          return json(response.body()).path("id").asText();
        }
        if (response.statusCode() != 503 || attempt == SUBMIT_ATTEMPTS) {
          throw new RemoteException(errorOf(response.statusCode(), response.body()));
        }
      } catch (IOException e) {
        if (attempt == SUBMIT_ATTEMPTS) {
          throw unreachable(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteException("interrupted");
      }
      sleep(backOff(attempt - 1));
    }
  }

  private static final int SUBMIT_ATTEMPTS = 4;

  /**
   * The wait after {@code failures} failed tries in a row: 1 s doubling to 15 s, so a gateway restart or a short
   * broker outage is ridden out without hammering it.
   */
  private static long backOff(int failures) {
    return Math.min(MAX_BACKOFF_MS, 1000L << Math.min(failures, 4));
  }

  public JsonNode pipeline(String id) {
    return json(send(request("/api/v1/pipelines/" + encode(id)).GET().build(), 200));
  }

  public JsonNode pipelines(String state, int limit) {
    String query = "?limit=" + limit + (state == null ? "" : "&state=" + encode(state));
    return json(send(request("/api/v1/pipelines" + query).GET().build(), 200));
  }

  /** The deployment as the gateway sees it: its Kafka, workers, image registry and stores. */
  public JsonNode doctor() {
    return json(send(request("/api/v1/doctor").GET().build(), 200));
  }

  /** Who this client's credential is to the gateway: its actor, roles, and what the policy lets it do. */
  public JsonNode me() {
    return json(send(request("/api/v1/me").GET().build(), 200));
  }

  /** What a stage's registry holds, as the gateway reads it from that stage's store. */
  public JsonNode registry(String stage) {
    return json(send(request("/api/v1/registry/" + encode(stage)).GET().build(), 200));
  }

  /**
   * Approves ({@code approve}) or rejects ({@code reject}) the plan pipeline {@code id}'s write to a protected stage
   * waits with; {@code body} may name the plan looked at, a reason, and the emergency path.
   */
  public JsonNode decide(String id, String verb, JsonNode body) {
    return json(send(request("/api/v1/pipelines/" + encode(id) + "/" + encode(verb))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
        .build(), 202));
  }

  public void cancel(String id) {
    send(request("/api/v1/pipelines/" + encode(id)).DELETE().build(), 202);
  }

  /** Downloads an artifact into {@code folder} (written to a temporary name, then moved: never half a file). */
  public Path download(String id, String name, Path folder) {
    HttpRequest get = request("/api/v1/pipelines/" + encode(id) + "/artifacts/" + encode(name)).GET().build();
    try {
      HttpResponse<InputStream> response = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new RemoteException(errorOf(response.statusCode(), new String(response.body().readAllBytes(),
            StandardCharsets.UTF_8)));
      }
      Files.createDirectories(folder);
      Path partial = Files.createTempFile(folder, ".download-", ".part");
      try (InputStream body = response.body()) {
        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      return Files.move(partial, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted");
    }
  }

  /** How long a 404 for what was just asked for is taken for "not on this gateway yet". */
  static final java.time.Duration NOT_YET = java.time.Duration.ofSeconds(10);
  private java.time.Duration notYet = NOT_YET;

  /** A shorter "not yet" (tests of what a lasting 404 does). */
  GatewayClient notYetFor(java.time.Duration window) {
    this.notYet = window;
    return this;
  }

  /**
   * Follows the audit stream with a filter, handing each event over until {@code until} says stop. A dropped
   * connection, a gateway restart or a busy gateway (503) is ridden out for as long as it takes: it reconnects with
   * back-off (1 s doubling to 15 s) and resumes where it was ({@code Last-Event-ID}), saying so on
   * {@link #onReconnect}. A refusal that retrying cannot fix (a bad token, a bad filter) ends it.
   *
   * @param query e.g. {@code pipeline=p-1} or {@code type=step.&since=...}
   */
  public void follow(String query, Predicate<Envelope> until) {
    follow(query, until, () -> false);
  }

  /**
   * As {@link #follow(String, Predicate)}, also told when the stream has sent everything it held when this asked
   * (the gateway's {@code caught-up}; from then on events are live).
   *
   * @param caughtUp returns true to stop there
   */
  public void follow(String query, Predicate<Envelope> until, java.util.function.BooleanSupplier caughtUp) {
    String lastId = null;
    int failures = 0;
    long lastHeard = System.nanoTime();
    long started = System.nanoTime();
    while (true) {
      HttpRequest.Builder get = request("/api/v1/events" + (query.isEmpty() ? "" : "?" + query))
          .header("Accept", "text/event-stream").GET();
      if (lastId != null) {
        get.header("Last-Event-ID", lastId);
      }
      String why;
      try {
        HttpResponse<InputStream> response = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          String error = errorOf(response.statusCode(), new String(response.body().readAllBytes(),
              StandardCharsets.UTF_8));
          // A pipeline just accepted by one gateway may not be known to another behind the same balancer for a
          // moment: a 404 before any event is "not yet" for a few seconds, not an answer.
          boolean notThereYet = response.statusCode() == 404 && lastId == null
              && System.nanoTime() - started < notYet.toNanos();
          if (response.statusCode() < 500 && !notThereYet) {
            throw new RemoteException(error);
          }
          why = error;
        } else {
          try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
              StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              if (line.startsWith("id: ")) {
                id = line.substring(4);
              } else if (line.startsWith("event: ")) {
                type = line.substring(7);
              } else if (line.isEmpty() && "caught-up".equals(type)) {
                type = null;
                data.setLength(0);
                if (caughtUp.getAsBoolean()) {
                  return;
                }
              } else if (line.startsWith("data: ")) {
                data.append(line, 6, line.length());
              } else if (line.isEmpty() && data.length() > 0) {
                Envelope event;
                try {
                  event = codec.decode(data.toString().getBytes(StandardCharsets.UTF_8));
                } catch (MalformedEventException e) {
                  type = null;
                  data.setLength(0); // not an event (the gateway ending a lagging stream): the next try resumes
                  continue;
                }
                type = null;
                lastId = id;
                failures = 0;
                lastHeard = System.nanoTime();
                data.setLength(0);
                if (until.test(event)) {
                  return;
                }
              }
            }
          }
          why = "the stream ended";
        }
      } catch (IOException e) {
        why = unreachable(e).getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteException("interrupted");
      }
      if (giveUpAfter != null && System.nanoTime() - lastHeard > giveUpAfter.toNanos()) {
        throw new RemoteException("lost the event stream from " + base + " for " + giveUpAfter.toMinutes()
            + " min (" + why + "); the pipeline goes on there: garden status shows it");
      }
      long wait = backOff(failures++);
      reconnect.accept(why + "; reconnecting in " + wait / 1000 + " s" + (lastId == null ? ""
          : " from where it was"));
      sleep(wait);
    }
  }

  /**
   * How long {@link #follow} goes on reconnecting without hearing an event before it gives up (null: for ever, as
   * {@code garden tail} does); a command in a CI job must end while the job can still report.
   */
  public GatewayClient giveUpAfter(java.time.Duration silence) {
    this.giveUpAfter = silence;
    return this;
  }

  /** Where {@link #follow} says it lost the stream and is reconnecting (standard error, for the CLI). */
  public GatewayClient onReconnect(java.util.function.Consumer<String> notice) {
    this.reconnect = notice;
    return this;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted");
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
  }

  private String send(HttpRequest request, int expected) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new RemoteException(errorOf(response.statusCode(), response.body()));
      }
      return response.body();
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted");
    }
  }

  /** The gateway's error message, not its JSON. */
  private String errorOf(int status, String body) {
    String message = null;
    try {
      message = codec.mapper().readTree(body).path("error").asText(null);
    } catch (IOException | RuntimeException ignored) {
      // Not one of ours (a proxy's page): the status alone says enough.
    }
    String what = switch (status) {
      case 401 -> "the gateway refused the token (set GARDEN_API_TOKEN to the token garden up printed)";
      case 404 -> message == null ? "not found" : message;
      default -> message == null ? "HTTP " + status : message;
    };
    return "gateway " + base + ": " + what;
  }

  private RemoteException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "nothing answers there" : e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new RemoteException("cannot reach the gateway at " + base + " (" + why + "); is garden up running?");
  }

  private byte[] bytes(JsonNode json) {
    try {
      return codec.mapper().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode json(String body) {
    try {
      return codec.mapper().readTree(body);
    } catch (IOException e) {
      throw new RemoteException("gateway " + base + " answered something that is not JSON");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
