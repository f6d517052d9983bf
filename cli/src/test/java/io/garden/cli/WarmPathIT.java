package io.garden.cli;

import io.garden.cli.warm.WarmServers;
import io.garden.common.ExamplesRepo;
import io.garden.common.model.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm path through the real launcher of the distribution (target/dist/garden-VERSION/bin/garden) and a real
 * warm server: every short command prints the same bytes and exits with the same code warm as cold, a request
 * without the user's token is refused, and Ctrl+C stops the command but not the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmPathIT {

  @TempDir
  static Path temp;

  private static Path launcher;
  private static Path stateDir;

  @BeforeAll
  static void startServer() throws Exception {
    launcher = distHome().resolve("bin/garden");
    stateDir = temp.resolve("state");
    // The first short command runs cold and leaves a server behind for the next ones.
    Path repo = ExamplesRepo.copyTo(temp.resolve("first"));
    assertThat(run(repo, true, "--version").exit()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> log().contains("serving on 127.0.0.1:"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    run(temp, false, "daemon", "stop");
  }

  @Test
  @DisplayName("every short command prints the same bytes, writes the same files and exits the same, warm or cold")
  void warmAndColdAreTheSame() throws Exception {
    Path repo = temp.resolve("same/extensions");
    Path broken = temp.resolve("same/broken");
    List<List<String>> commands = List.of(
        List.of("--version"), List.of("--help"), List.of(),
        List.of("validate"), List.of("validate", "--format", "json"), List.of("validate", "app", "team-notes"),
        List.of("validate", "--repo", "../broken"), List.of("validate", "tool", "no-such-tool"),
        List.of("sync-compose", "--check"), List.of("sync-compose"), List.of("build-registry"),
        List.of("build-registry", "--stage", "prod"), List.of("package-registry"), List.of("list-published"),
        List.of("bump", "tool", "tool-websearch"), List.of("new", "tool", "tool-warm"), List.of("validate", "--bogus"),
        List.of("help", "validate"));
    int served = served();
    for (List<String> command : commands) {
      fresh(repo, broken);
      Result cold = run(repo, false, command.toArray(String[]::new));
      Map<String, String> coldTree = tree(repo.getParent());
      fresh(repo, broken);
      Result warm = run(repo, true, command.toArray(String[]::new));

      assertThat(warm.exit()).as("exit code of %s", command).isEqualTo(cold.exit());
      assertThat(warm.out()).as("stdout of %s", command).isEqualTo(cold.out());
      assertThat(warm.err()).as("stderr of %s", command).isEqualTo(cold.err());
      assertThat(tree(repo.getParent())).as("files after %s", command).isEqualTo(coldTree);
    }
    assertThat(served()).as("every warm run was served by the server, none fell back to cold")
        .isEqualTo(served + commands.size());
    assertThat(run(broken, true, "validate").exit()).as("a failing validate fails warm too").isEqualTo(1);
  }

  @Test
  @DisplayName("a request without the user's token is refused before anything runs, and the token is owner-only")
  void requestWithoutTokenIsRefused() throws Exception {
    Path target = Files.createDirectories(temp.resolve("refused"));
    String sid = "0123456789abcdef";
    try (Socket out = connect(); Socket err = connect(); Socket control = connect()) {
      send(out, "out2", "not-the-token", sid);
      send(err, "err2", "not-the-token", sid);
      send(control, "run2", "not-the-token", sid, target.toString(), "3", "new", "tool", "tool-intruder", "");
      String reply = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(reply).isEqualTo("refused\n");
    }
    assertThat(target.resolve("tools")).doesNotExist();
    assertThat(log()).contains("refused a connection without this user's token");
    assertThat(Files.getPosixFilePermissions(stateFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(stateDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  @DisplayName("a server killed outright leaves its state: a program that takes the freed port gets nothing, and the"
      + " command runs cold with the same output")
  void aFreedPortIsNotBelieved() throws Exception {
    Path repo = ExamplesRepo.copyTo(temp.resolve("freed"));
    State killed = state();
    ProcessHandle server = ProcessHandle.of(killed.pid()).orElseThrow();
    server.destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
    assertThat(stateFile()).as("SIGKILL runs no shutdown hook").exists();
    Result cold = run(repo, false, "validate");
    try (Impostor impostor = new Impostor(killed.port(), null)) {
      Result warm = run(repo, true, Map.of("GARDEN_TEST_SECRET", "do-not-tell"), "validate");

      assertThat(warm).isEqualTo(cold);
      assertThat(impostor.heard()).as("the state's process is gone: nothing was sent to its port").isEmpty();
    }
    awaitServerOtherThan(killed.pid());
  }

  @Test
  @DisplayName("a listener that cannot show the server's proof is told nothing beyond the token: not the folder, the"
      + " arguments or the environment; a silent one is not waited for")
  void anImpostorIsToldNothing() throws Exception {
    Path repo = ExamplesRepo.copyTo(temp.resolve("impostor"));
    Result cold = run(repo, false, "validate");
    for (String answer : java.util.Arrays.asList("proof 0000\n", null)) {
      State real = state();
      Path file = stateFile();
      ProcessHandle server = ProcessHandle.of(real.pid()).orElseThrow();
      server.destroy();
      await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
      try (Impostor impostor = new Impostor(0, answer)) {
        // A live process (this one) that is no warm server, on a port that is not the server's.
        Files.writeString(file, impostor.port() + " " + real.token() + " " + ProcessHandle.current().pid()
            + " " + "ab".repeat(32) + "\n");
        long asked = System.nanoTime();
        Result warm = run(repo, true, Map.of("GARDEN_TEST_SECRET", "do-not-tell"), "validate");

        assertThat(warm).as("answer %s", answer).isEqualTo(cold);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10)).until(() -> !impostor.heard().isEmpty());
        String heard = impostor.heard();
        assertThat(heard).startsWith("run2\0").doesNotContain("do-not-tell", repo.toString(), "validate");
      }
      // The silent one was not forgotten (a busy server is silent too): its state goes by hand here.
      if (Files.exists(file) && state().pid() == ProcessHandle.current().pid()) {
        Files.delete(file);
      }
      run(repo, true, "--version");
      awaitServerOtherThan(real.pid());
    }
  }

  @Test
  @DisplayName("a caller that drips its request a byte at a time is cut off at the header deadline")
  void aDrippingCallerIsCutOff() throws Exception {
    try (Socket slow = connect()) {
      long started = System.nanoTime();
      OutputStream out = slow.getOutputStream();
      // A byte every half second, which a per-read timeout alone would wait for without end, until the server has
      // closed the connection (a write then fails).
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
        try {
          out.write('r');
          out.flush();
          return false;
        } catch (IOException closed) {
          return true;
        }
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(12));
    }
  }

  @Test
  @DisplayName("without a folder of the user's own (no GARDEN_DAEMON_DIR, XDG_RUNTIME_DIR or HOME) there is no warm"
      + " path: nothing in a shared temporary folder")
  void noSharedFolderFallback() throws Exception {
    Path warmBash = launcher.getParent().getParent().resolve("lib/warm.bash");
    Process shell = new ProcessBuilder("env", "-i", "PATH=/usr/bin:/bin", "bash", "-c",
        "source \"$0\"; garden_warm_state k; echo \"${GARDEN_WARM_STATE-none}\"", warmBash.toString())
        .redirectErrorStream(true).start();
    assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("none");
  }

  @Test
  @DisplayName("Ctrl+C stops the command and exits 130; the same server answers the next command")
  void ctrlCStopsTheCommandNotTheServer() throws Exception {
    Path big = bigRepository(temp.resolve("big"), 4000);
    long pid = state().pid();
    int before = count("start #");
    // env --default-signal: the launcher gets SIGINT's default disposition whatever the test runner inherited
    // (a shell cannot trap a signal that was ignored when it started).
    ProcessBuilder builder = new ProcessBuilder(List.of("env", "--default-signal=INT", launcher.toString(), "validate"))
        .directory(big.toFile()).redirectOutput(temp.resolve("interrupted.out").toFile())
        .redirectError(temp.resolve("interrupted.err").toFile());
    environment(builder.environment(), true);
    Process process = builder.start();
    // Validating 4,000 extensions takes the warm server over a second: the signal lands well inside it.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> count("start #") > before);
    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
    await().atMost(Duration.ofSeconds(60)).until(() -> log().matches("(?s).*cancelled validate .*it stopped after.*"));
    assertThat(Files.readString(temp.resolve("interrupted.out"))).doesNotContain("extension(s) validated");

    Result next = run(big, true, "--version");
    assertThat(next.exit()).isZero();
    assertThat(state().pid()).as("the same server").isEqualTo(pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
  }

  @Test
  @DisplayName("a crashed server is replaced without the user noticing: the command runs cold, the next one warm")
  void crashedServerIsReplaced() throws Exception {
    Path repo = ExamplesRepo.copyTo(temp.resolve("crash"));
    long crashed = state().pid();
    ProcessHandle server = ProcessHandle.of(crashed).orElseThrow();
    server.destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
    Result cold = run(repo, false, "validate");

    Result during = run(repo, true, "validate");
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> state().pid() != crashed && log().contains("serving on"));
    Result after = run(repo, true, "validate");

    assertThat(during).as("the command after the crash, run cold").isEqualTo(cold);
    assertThat(after).as("the next one, on the new server").isEqualTo(cold);
    assertThat(log()).contains("start #1 validate");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  @DisplayName("garden daemon status names the running server; garden daemon stop stops it and removes its state")
  void daemonStatusAndStop() throws Exception {
    Path repo = ExamplesRepo.copyTo(temp.resolve("daemon"));
    State running = state();
    long pid = running.pid();

    Result status = run(repo, true, "daemon", "status");
    Result stop = run(repo, true, "daemon", "stop");

    assertThat(status.exit()).isZero();
    assertThat(status.out()).startsWith("this version: pid " + pid + ", port " + running.port());
    assertThat(stop.exit()).isZero();
    assertThat(stop.out()).startsWith("stopped pid " + pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files).noneMatch(WarmServers::isStateFile);
    }
    assertThat(run(repo, true, "daemon", "status").out()).startsWith("no warm server is running");
  }

  // --- the launcher, as a user runs it ---

  private record Result(int exit, String out, String err) {
  }

  private static Result run(Path dir, boolean warm, String... args) throws Exception {
    return run(dir, warm, Map.of(), args);
  }

  private static Result run(Path dir, boolean warm, Map<String, String> extra, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    environment(builder.environment(), warm);
    builder.environment().putAll(extra);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 120 s");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void environment(Map<String, String> env, boolean warm) {
    env.remove("CI");
    env.put("GARDEN_DAEMON", warm ? "1" : "0");
    env.put("GARDEN_DAEMON_DIR", stateDir.toString());
    env.put("GARDEN_DAEMON_IDLE_MINUTES", "5");
    env.put("GARDEN_HOST", "warm-path-test");
    env.keySet().removeIf(name -> name.startsWith("OTEL_") || name.equals("GARDEN_URL"));
  }

  /** The distribution as a user unpacks it (the tarball sets the launcher's mode). */
  private static Path distHome() throws Exception {
    Path tarball;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      tarball = files.filter(p -> p.getFileName().toString().matches("garden-.+\\.tar\\.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no target/garden-VERSION.tar.gz: the package phase builds it"));
    }
    Path into = Files.createDirectories(temp.resolve("dist"));
    Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString()).directory(into.toFile())
        .inheritIO().start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tarball unpacked").isTrue();
    try (Stream<Path> homes = Files.list(into)) {
      return homes.filter(p -> p.getFileName().toString().startsWith("garden-")).findFirst().orElseThrow();
    }
  }

  // --- the server's files ---

  private record State(int port, String token, long pid) {
  }


  private static Path stateFile() throws IOException {
    try (Stream<Path> files = Files.list(stateDir)) {
      return files.filter(WarmServers::isStateFile).findFirst().orElseThrow();
    }
  }

  private static State state() throws IOException {
    String[] fields = Files.readString(stateFile()).strip().split(" ");
    return new State(Integer.parseInt(fields[0]), fields[1], Long.parseLong(fields[2]));
  }

  private static String log() throws IOException {
    try (Stream<Path> files = Files.list(stateDir)) {
      Path log = files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElse(null);
      return log == null ? "" : Files.readString(log);
    }
  }

  private static int count(String text) throws IOException {
    return log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  private static int served() throws IOException {
    return count("start #");
  }

  // --- repositories ---

  private static void fresh(Path repo, Path broken) throws IOException {
    FileTrees.delete(repo.getParent());
    ExamplesRepo.copyTo(repo);
    ExamplesRepo.copyTo(broken);
    Path metadata = broken.resolve("apps/team-notes/kamiwaza.json");
    Files.writeString(metadata, Files.readString(metadata).replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"",
        "\"version\": \"not-a-version\""));
  }

  private static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        digests.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
      }
    }
    return digests;
  }

  /** A repository large enough that validating it takes a while: copies of one tool. */
  private static Path bigRepository(Path root, int tools) throws IOException {
    Path examples = ExamplesRepo.copyTo(root.resolveSibling("big-source"));
    Path tool = examples.resolve("tools/tool-websearch");
    Files.createDirectories(root.resolve("tools"));
    for (int i = 0; i < tools; i++) {
      Path copy = Files.createDirectories(root.resolve("tools/tool-copy-" + i));
      try (Stream<Path> files = Files.list(tool)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.copy(file, copy.resolve(file.getFileName()));
        }
      }
    }
    return root;
  }

  private static void awaitServerOtherThan(long pid) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      State now = state();
      return now.pid() != pid && now.pid() != ProcessHandle.current().pid()
          && ProcessHandle.of(now.pid()).map(ProcessHandle::isAlive).orElse(false);
    });
  }

  /** A program of the same user on a port the launcher may believe is the server's: it records what it is told. */
  private static final class Impostor implements AutoCloseable {
    private final java.net.ServerSocket socket;
    private final java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
    private final Thread thread;

    /** @param answer what it says to each caller at once (null: nothing, it only listens) */
    Impostor(int port, String answer) throws IOException {
      socket = new java.net.ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket caller = socket.accept()) {
            if (answer != null) {
              caller.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
              caller.getOutputStream().flush();
            }
            caller.setSoTimeout(10_000);
            byte[] buffer = new byte[8192];
            for (int n = caller.getInputStream().read(buffer); n >= 0; n = caller.getInputStream().read(buffer)) {
              synchronized (heard) {
                heard.write(buffer, 0, n);
              }
            }
          } catch (IOException e) {
            // the caller went away, or the socket was closed
          }
        }
      }, "impostor");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    String heard() {
      synchronized (heard) {
        return heard.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  // --- the wire, for a caller without the token ---

  private static Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), state().port());
  }

  private static void send(Socket socket, String... fields) throws IOException {
    OutputStream out = socket.getOutputStream();
    for (String field : fields) {
      out.write(field.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.flush();
  }
}
