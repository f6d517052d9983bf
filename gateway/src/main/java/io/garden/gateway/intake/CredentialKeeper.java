package io.garden.gateway.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The credentials a gateway accepts now: the named ones of {@code GARDEN_API_TOKENS_FILE}, read again whenever the
 * file changes (a credential made or revoked takes effect without a restart), and the shared {@code GARDEN_API_TOKEN}.
 * A file that cannot be read keeps the credentials read before. {@link #reload} blocks (it reads the file).
 */
public final class CredentialKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(CredentialKeeper.class);

  private final CredentialFile file;
  private final Optional<String> sharedToken;
  private volatile ApiCredentials current = ApiCredentials.none();
  private volatile FileTime stamp;

  public CredentialKeeper(Optional<Path> file, Optional<String> sharedToken, Clock clock) {
    this.file = file.map(f -> new CredentialFile(f, clock)).orElse(null);
    this.sharedToken = sharedToken;
  }

  /** Whether there is a file to read again (else the shared token is all there is). */
  public boolean watchesFile() {
    return file != null;
  }

  public ApiCredentials current() {
    return current;
  }

  /** Reads the file again when it changed; true when what is accepted may have changed. */
  public boolean reload() {
    if (file == null) {
      boolean first = stamp == null;
      current = new ApiCredentials(List.of(), sharedToken);
      stamp = FileTime.fromMillis(0);
      return first;
    }
    Path path = file.path();
    FileTime now;
    try {
      now = Files.exists(path) ? Files.getLastModifiedTime(path) : FileTime.fromMillis(0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
    }
    if (Objects.equals(now, stamp)) {
      return false;
    }
    ApiCredentials loaded = new ApiCredentials(file.list(), sharedToken);
    boolean first = stamp == null;
    current = loaded;
    stamp = now;
    LOG.info("credentials: {} named credential(s) from {}{}{}", loaded.size(), path,
        sharedToken.isPresent() ? ", and the shared GARDEN_API_TOKEN as admin" : "", first ? "" : " (the file changed)");
    return true;
  }
}
