package io.garden.gateway.intake;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.garden.common.format.Json;
import io.garden.common.model.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named API credentials ({@code GARDEN_API_TOKENS_FILE}): each a name, its roles and the SHA-256 of its secret.
 * The secret itself is shown once, when it is made, and never stored. A plain hash is enough because secrets are 32
 * random bytes: nothing to guess, so nothing a slow hash would protect (the reasoning GitHub applies to its tokens).
 * The file is written whole and atomically, readable by its owner only (0600), under a lock so two
 * {@code garden token} commands cannot lose each other's change.
 */
public final class CredentialFile {

  /** What the file holds about one credential. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String name, List<String> roles, String sha256, Instant created) {
    public Entry {
      roles = List.copyOf(roles);
    }

    public Set<Role> roleSet() {
      return Role.parseList(String.join(",", roles));
    }
  }

  /** The file's layout. */
  public record Contents(int version, List<Entry> credentials) {
    public Contents {
      credentials = List.copyOf(credentials);
    }
  }

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  /** Secrets start with this, so a secret scanner (or a person) can tell a leaked one for what it is. */
  public static final String SECRET_PREFIX = "gdn_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Clock clock;

  public CredentialFile(Path file, Clock clock) {
    this.file = file.toAbsolutePath().normalize();
    this.clock = clock;
  }

  public Path path() {
    return file;
  }

  /** The credentials, none when the file does not exist yet. */
  public List<Entry> list() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      Contents contents = Json.files().readValue(Files.readAllBytes(file), Contents.class);
      if (contents.version() != 1) {
        throw new IllegalArgumentException(file + " has version " + contents.version() + "; this garden reads 1");
      }
      contents.credentials().forEach(Entry::roleSet); // an unknown role is an error now, not a silent denial later
      return contents.credentials();
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not a credential file garden can read (" + plain(e)
          + "); make it again with garden token create", e);
    }
  }

  /** Makes a credential and returns its secret, which is not kept anywhere: show it once. */
  public String create(String name, Set<Role> roles) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a credential name is 1-64 lower-case letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit; was '" + name + "'");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    update(entries -> {
      if (entries.stream().anyMatch(e -> e.name().equals(name))) {
        throw new IllegalArgumentException("a credential named " + name + " exists already; revoke it first"
            + " (garden token revoke " + name + ") or choose another name");
      }
      entries.add(new Entry(name, roles.stream().sorted().map(Role::wire).toList(), sha256(secret),
          clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    });
    return secret;
  }

  /** Removes a credential; the gateway stops accepting it within seconds of the file changing. */
  public void revoke(String name) {
    update(entries -> {
      if (!entries.removeIf(e -> e.name().equals(name))) {
        throw new IllegalArgumentException("no credential named " + name + " in " + file
            + " (garden token list shows them)");
      }
    });
  }

  public static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  private interface Change {
    void apply(List<Entry> entries);
  }

  private void update(Change change) {
    try {
      Files.createDirectories(file.getParent());
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = channel.lock()) {
        List<Entry> entries = new ArrayList<>(list());
        change.apply(entries);
        AtomicFiles.writeOwnerOnly(file,
            Json.files().writerWithDefaultPrettyPrinter().writeValueAsBytes(new Contents(1, entries)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** What is wrong, in the file's terms (a field, a line), never the parser's classes and settings. */
  private static String plain(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof StreamReadException unreadable && unreadable.getLocation() != null) {
        return "not valid JSON at line " + unreadable.getLocation().getLineNr();
      }
    }
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return "'" + Json.fieldPath(mapping) + "' is missing or not valid";
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
