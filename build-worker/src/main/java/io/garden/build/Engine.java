package io.garden.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.garden.extension.BuildTarget;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import io.garden.common.platform.Platform;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container engine behind {@code DOCKER_HOST} (Docker, or Podman's compatible API), through docker-java with
 * the httpclient5 transport. Blocking: call it from worker threads. One instance per engine; thread-safe.
 *
 * <p>Over 300 lines on purpose: it is the one place that speaks docker-java (build, push, run, exec, networks,
 * volumes, logs), so that every engine quirk and every engine message turned into plain words lives here and
 * nowhere else.
 */
public final class Engine implements Closeable {

  private static final Pattern STEP = Pattern.compile("(?i)^\\s*(step \\d+/\\d+.*)$");
  private static final Pattern DIGEST = Pattern.compile("(sha256:[a-f0-9]{64})");
  private static final int TAIL = 40;

  private final DockerClient docker;
  private final String host;
  private volatile com.github.dockerjava.api.model.Version version;

  public Engine(String dockerHost) {
    this.host = dockerHost;
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost).build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
        .maxConnections(20).connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofHours(1))
        .build();
    this.docker = DockerClientImpl.getInstance(config, http);
  }

  public String host() {
    return host;
  }

  /** The platform the engine runs natively ({@code GET /version}'s Arch). */
  public Platform nativePlatform() {
    return Platform.ofArch(version().getArch());
  }

  /** The engine's component names ({@code GET /version}): "Podman Engine", "Engine" (Docker). */
  private List<String> components() {
    return Optional.ofNullable(version().getComponents()).orElse(List.of()).stream().map(c -> c.getName())
        .toList();
  }

  /** {@code GET /version}, asked once: what the engine is and runs on does not change while it answers. */
  private com.github.dockerjava.api.model.Version version() {
    com.github.dockerjava.api.model.Version known = version;
    if (known == null) {
      known = docker.versionCmd().exec();
      version = known;
    }
    return known;
  }

  /** True when the engine answers a ping. */
  public boolean available() {
    try {
      docker.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Builds {@code target} with {@code tags}, streaming output lines to {@code progress}.
   *
   * @return the image id
   * @throws BuildFailedException with the failing step and the output tail; also on timeout
   */
  public String build(BuildTarget target, List<String> tags, Map<String, String> buildArgs, boolean noCache,
                      Duration timeout, Consumer<String> progress) {
    return build(target, tags, buildArgs, noCache, timeout, progress, Cancellation.none());
  }

  /** As above; {@code cancellation} closes the build's output stream, which ends the build early. */
  public String build(BuildTarget target, List<String> tags, Map<String, String> buildArgs, boolean noCache,
                      Duration timeout, Consumer<String> progress, Cancellation cancellation) {
    return build(target, null, tags, buildArgs, noCache, timeout, progress, cancellation);
  }

  /** As above, up to the Dockerfile stage {@code stage} only ({@code docker build --target}); null: the last. */
  public String build(BuildTarget target, String stage, List<String> tags, Map<String, String> buildArgs,
                      boolean noCache, Duration timeout, Consumer<String> progress, Cancellation cancellation) {
    return build(target, stage, tags, buildArgs, noCache, timeout, progress, cancellation, null);
  }

  /** @param network the RUN steps' network ({@code none}: none at all); null: the engine's default */
  public String build(BuildTarget target, List<String> tags, Map<String, String> buildArgs, boolean noCache,
                      Duration timeout, Consumer<String> progress, Cancellation cancellation, String network) {
    return build(target, null, tags, buildArgs, noCache, timeout, progress, cancellation, network);
  }

  /** Up to {@code stage} (null: the last), its RUN steps on {@code network} (null: the engine's default). */
  public String build(BuildTarget target, String stage, List<String> tags, Map<String, String> buildArgs,
                      boolean noCache, Duration timeout, Consumer<String> progress, Cancellation cancellation,
                      String network) {
    return build(target, stage, tags, buildArgs, noCache, timeout, progress, cancellation, network, null);
  }

  /**
   * As above, for {@code platform} (null: the engine's own). Another platform's RUN steps run under emulation
   * (QEMU through binfmt_misc) where the engine's host has it; the build sets {@code TARGETPLATFORM},
   * {@code TARGETOS} and {@code TARGETARCH} for the Dockerfile, as buildx does.
   */
  public String build(BuildTarget target, String stage, List<String> tags, Map<String, String> buildArgs,
                      boolean noCache, Duration timeout, Consumer<String> progress, Cancellation cancellation,
                      String network, Platform platform) {
    try {
      return buildOnce(target, stage, tags, buildArgs, noCache, timeout, progress, cancellation, network, platform);
    } catch (BuildFailedException e) {
      if (!StorageRace.matches(e)) {
        throw e;
      }
      // Podman's image store loses an image it has just written when two builds commit at the same moment (seen
      // with the amd64 and arm64 builds of one push): nothing about the Dockerfile; one more build finds its
      // layers cached and gets through. Once only: a second failure is reported as it is.
      progress.accept("the engine lost an image it had just written (" + firstLine(e.getMessage())
          + "); building again");
      return buildOnce(target, stage, tags, buildArgs, noCache, timeout, progress, cancellation, network, platform);
    }
  }

  /** The engine's storage race in a build failure's words. */
  static final class StorageRace {

    private StorageRace() {
    }

    static boolean matches(BuildFailedException e) {
      return e.getMessage() != null && e.getMessage().contains("image not known");
    }
  }

  private String buildOnce(BuildTarget target, String stage, List<String> tags, Map<String, String> buildArgs,
                           boolean noCache, Duration timeout, Consumer<String> progress, Cancellation cancellation,
                           String network, Platform platform) {
    Deque<String> tail = new ArrayDeque<>();
    String[] lastStep = {null};
    BuildImageCmd cmd = docker.buildImageCmd()
        .withBaseDirectory(target.context().toFile())
        .withDockerfile(target.dockerfile().toFile())
        .withTags(new java.util.LinkedHashSet<>(tags))
        .withNoCache(noCache)
        .withPull(false);
    if (stage != null) {
      cmd.withTarget(stage);
    }
    if (network != null) {
      cmd.withNetworkMode(BuildNetwork.parameter(network, components()));
    }
    if (platform != null) {
      cmd.withPlatform(platform.wire());
    }
    buildArgs.forEach(cmd::withBuildArg);
    BuildImageResultCallback callback = new BuildImageResultCallback() {
      @Override
      public void onNext(BuildResponseItem item) {
        if (item.getStream() != null) {
          for (String line : item.getStream().split("\n")) {
            if (!line.isBlank()) {
              remember(tail, line);
              Matcher m = STEP.matcher(line);
              if (m.matches()) {
                lastStep[0] = m.group(1).trim();
              }
              progress.accept(line);
            }
          }
        }
        if (item.getErrorDetail() != null || item.getError() != null) {
          remember(tail, String.valueOf(item.getError()));
        }
        super.onNext(item);
      }
    };
    try {
      cmd.exec(callback);
      cancellation.onCancel(callback);
      String id = callback.awaitImageId(timeout.toMillis(), TimeUnit.MILLISECONDS);
      cancellation.check("build of " + target.repository());
      return id;
    } catch (DockerClientException e) {
      closeQuietly(callback);
      cancellation.check("build of " + target.repository());
      String why = e.getMessage() != null && e.getMessage().contains("Awaiting image id timeout")
          ? "Build of " + target.repository() + " timed out after " + timeout.toSeconds() + " s"
          : "Build of " + target.repository() + " failed: " + firstLine(e.getMessage());
      throw new BuildFailedException(why, lastStep[0], List.copyOf(tail));
    }
  }

  public boolean imageExists(String ref) {
    try {
      docker.inspectImageCmd(ref).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Tags {@code source} as {@code repository:tag} (repository may carry a registry). */
  public void tag(String source, String target) {
    int colon = target.lastIndexOf(':');
    docker.tagImageCmd(source, target.substring(0, colon), target.substring(colon + 1)).withForce(true).exec();
  }

  /** Pushes {@code ref} ({@code [registry/]repo:tag}) and returns the digest the registry reported. */
  public String push(String ref, Duration timeout) {
    int colon = ref.lastIndexOf(':');
    String[] digest = {null};
    List<String> errors = new ArrayList<>();
    ResultCallback.Adapter<PushResponseItem> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(PushResponseItem item) {
        if (item.getAux() != null && item.getAux().getDigest() != null) {
          digest[0] = item.getAux().getDigest();
        }
        if (item.getStatus() != null) {
          Matcher m = DIGEST.matcher(item.getStatus());
          if (m.find() && item.getStatus().contains("digest")) {
            digest[0] = m.group(1);
          }
        }
        if (item.getError() != null) {
          errors.add(item.getError());
        }
      }
    };
    try {
      docker.pushImageCmd(ref.substring(0, colon)).withTag(ref.substring(colon + 1)).exec(callback)
          .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pushing " + ref, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("push of " + ref + " failed: " + firstLine(e.getMessage()), e);
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("push of " + ref + " failed: " + errors.get(0));
    }
    return Optional.ofNullable(digest[0]).orElseGet(() -> RegistryDigests.lookup(ref));
  }

  /** The image's own HEALTHCHECK, if it declares one. */
  public Optional<HealthCheck> healthcheck(String image) {
    return Optional.ofNullable(docker.inspectImageCmd(image).exec().getConfig()).map(c -> c.getHealthcheck())
        .filter(h -> h.getTest() != null && !h.getTest().isEmpty() && !"NONE".equals(h.getTest().get(0)));
  }

  /** Starts a container on the host network (the machines here have no bridge networking). */
  public String run(String name, String image, List<String> env, List<Bind> volumes) {
    return run(name, image, env, volumes, null, null);
  }

  /**
   * The same, with compose's {@code entrypoint} and {@code command} (null: the image's own). What the engine says
   * when it cannot (an image with nothing to run) is one plain line, not its JSON.
   */
  public String run(String name, String image, List<String> env, List<Bind> volumes, List<String> entrypoint,
                    List<String> command) {
    return run(name, image, env, volumes, entrypoint, command, null, null, null);
  }

  /**
   * The same on a network of its own ({@link #createNetwork}; null: the host's), known there as {@code alias} (the
   * compose service name, as its siblings call it), with {@code port} published on a free loopback port of the host
   * ({@link #hostPort}): a smoke test neither collides with a busy port of the host nor with another test.
   */
  public String run(String name, String image, List<String> env, List<Bind> volumes, List<String> entrypoint,
                    List<String> command, String network, String alias, Integer port) {
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(network == null ? "host" : network)
        .withBinds(volumes);
    if (network != null && port != null) {
      host.withPortBindings(new com.github.dockerjava.api.model.PortBinding(
          com.github.dockerjava.api.model.Ports.Binding.bindIp("127.0.0.1"),
          com.github.dockerjava.api.model.ExposedPort.tcp(port)));
    }
    com.github.dockerjava.api.command.CreateContainerCmd create = docker.createContainerCmd(image).withName(name)
        .withEnv(env).withHostConfig(host);
    if (network != null && alias != null) {
      create.withAliases(alias);
    }
    if (network != null && port != null) {
      create.withExposedPorts(com.github.dockerjava.api.model.ExposedPort.tcp(port));
    }
    if (entrypoint != null) {
      create.withEntrypoint(entrypoint);
    }
    if (command != null) {
      create.withCmd(command);
    }
    CreateContainerResponse created;
    try {
      created = create.exec();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the container engine could not create a container of " + image + ": "
          + engineMessage(e), e);
    }
    return start(created, image);
  }

  /** A bridge network of its own for one smoke test; the engine's message when it cannot make one. */
  public void createNetwork(String name) {
    try {
      docker.createNetworkCmd().withName(name).withDriver("bridge").exec();
    } catch (RuntimeException e) {
      throw new IllegalStateException(engineMessage(e), e);
    }
  }

  /** Removes a network made by {@link #createNetwork}; one already gone is fine. */
  public void removeNetwork(String name) {
    try {
      docker.removeNetworkCmd(name).exec();
    } catch (RuntimeException gone) {
      // Nothing left to remove, or the engine is going away: nothing a caller could do.
    }
  }

  /** The host port a container's {@code port} was published on; null when it is not published. */
  public Integer hostPort(String id, int port) {
    var ports = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts();
    var bindings = ports == null ? null : ports.getBindings().get(
        com.github.dockerjava.api.model.ExposedPort.tcp(port));
    if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
      return null;
    }
    try {
      return Integer.parseInt(bindings[0].getHostPortSpec());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Starts a created container; one that never started is still a container: none is left behind. */
  private String start(CreateContainerResponse created, String image) {
    try {
      docker.startContainerCmd(created.getId()).exec();
    } catch (RuntimeException e) {
      removeContainer(created.getId());
      throw new IllegalStateException("the container engine could not start a container of " + image + ": "
          + engineMessage(e), e);
    }
    return created.getId();
  }

  /**
   * Starts {@code image}'s own command in a confined container: the sandbox's network (none by default), memory
   * (no swap beyond it), CPUs and process limit, every capability dropped and no new privileges. Nothing of the
   * host is mounted.
   */
  public String runConfined(String name, String image, io.garden.build.suite.TestSandbox sandbox) {
    long memory = sandbox.memoryMb() * 1024 * 1024;
    CreateContainerResponse created = docker.createContainerCmd(image).withName(name)
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(sandbox.network())
            .withMemory(memory).withMemorySwap(memory).withNanoCPUs(sandbox.cpus() * 1_000_000_000L)
            .withPidsLimit(sandbox.pids()).withCapDrop(com.github.dockerjava.api.model.Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges")))
        .exec();
    return start(created, image);
  }

  /**
   * Runs {@code command} once in {@code image} for {@code platform} (pulled first, for that platform, when the
   * engine does not have it) and returns what it printed; the container is removed. An image index answers with
   * the child of that platform, run by emulation when it is not the engine's own.
   */
  public List<String> runOnce(String image, Platform platform, List<String> command, Duration limit) {
    try {
      docker.pullImageCmd(image).withPlatform(platform.wire()).start()
          .awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted pulling " + image, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("the container engine could not pull " + image + " for " + platform + ": "
          + firstLine(e.getMessage()), e);
    }
    CreateContainerResponse created = docker.createContainerCmd(image).withPlatform(platform.wire())
        .withCmd(command.toArray(String[]::new)).exec();
    try {
      docker.startContainerCmd(created.getId()).exec();
      awaitExit(created.getId(), limit);
      return logs(created.getId(), 100);
    } finally {
      removeContainer(created.getId());
    }
  }

  /** The container's exit code once it ends; empty when it is still running after {@code limit}. */
  public Optional<Integer> awaitExit(String id, Duration limit) {
    try {
      return Optional.of(docker.waitContainerCmd(id).start().awaitStatusCode(limit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (DockerClientException e) {
      if (e.getMessage() != null && e.getMessage().contains("timeout")) {
        return Optional.empty();
      }
      throw new IllegalStateException("waiting for container " + id + " failed: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * Runs {@code command} inside a running container and returns its exit code (null when it did not end within
   * {@code limit}): a HEALTHCHECK run by hand, for engines that do not run them (Podman without systemd).
   */
  public Integer exec(String id, List<String> command, Duration limit) {
    String exec = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new))
        .withAttachStdout(true).withAttachStderr(true).exec().getId();
    try {
      boolean ended = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>())
          .awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
      return ended ? Optional.ofNullable(docker.inspectExecCmd(exec).exec().getExitCodeLong())
          .map(Long::intValue).orElse(null) : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The healthcheck a container was created with (its image's, unless overridden); empty when it has none. */
  public Optional<HealthCheck> containerHealthcheck(String id) {
    return Optional.ofNullable(docker.inspectContainerCmd(id).exec().getConfig()).map(c -> c.getHealthcheck())
        .filter(h -> h.getTest() != null && !h.getTest().isEmpty() && !"NONE".equals(h.getTest().get(0)));
  }

  /** Ids of the containers (running or not) whose name starts with {@code prefix}: what a run left behind. */
  public List<String> containersNamed(String prefix) {
    return docker.listContainersCmd().withShowAll(true).exec().stream()
        .filter(c -> c.getNames() != null && java.util.Arrays.stream(c.getNames())
            .anyMatch(n -> n.replaceFirst("^/", "").startsWith(prefix)))
        .map(c -> c.getId()).toList();
  }

  /** What the engine said, without the HTTP status and JSON around it ({@code Status 500: {"message": ...}}). */
  static String engineMessage(RuntimeException e) {
    String text = e.getMessage() == null ? "" : e.getMessage().strip();
    java.util.regex.Matcher message = ENGINE_MESSAGE.matcher(text);
    return message.find() ? message.group(1) : firstLine(text);
  }

  private static final java.util.regex.Pattern ENGINE_MESSAGE =
      java.util.regex.Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  public InspectContainerResponse.ContainerState state(String id) {
    return docker.inspectContainerCmd(id).exec().getState();
  }

  public List<String> logs(String id, int lines) {
    List<String> out = new ArrayList<>();
    try {
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              out.add(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
            }
          }).awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.add("(logs unavailable: " + firstLine(e.getMessage()) + ")");
    }
    return out;
  }

  public void createVolume(String name) {
    docker.createVolumeCmd().withName(name).exec();
  }

  /** Removes a container and a volume, ignoring what is already gone: cleanup must never fail a run. */
  public void removeContainer(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (RuntimeException ignored) {
      // Already gone.
    }
  }

  public void removeVolume(String name) {
    try {
      docker.removeVolumeCmd(name).exec();
    } catch (RuntimeException ignored) {
      // Already gone.
    }
  }

  public static Bind namedVolume(String name, String path) {
    return new Bind(name, new Volume(path));
  }

  @Override
  public void close() throws IOException {
    docker.close();
  }

  private static void remember(Deque<String> tail, String line) {
    tail.addLast(line);
    while (tail.size() > TAIL) {
      tail.removeFirst();
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Nothing to do.
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no detail)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
