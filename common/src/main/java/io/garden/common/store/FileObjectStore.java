package io.garden.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An object store in a local folder: the embedded default, and what a single machine needs.
 *
 * <p>ETag = SHA-256 of the content. Writes go to a temporary file that is fsynced and atomically renamed into
 * place, so a reader sees the old or the new object, never a partial one. Conditional operations hold a per-key
 * lock that is both a JVM lock (file locks are per process, not per thread) and an OS file lock (so two
 * processes on one folder are safe too). Keys share {@value #LOCK_STRIPES} lock files by their hash: a lock file is
 * never removed while someone may wait on it (removing it would let two writers lock two different files), so their
 * number must be bounded instead of growing by one per key ever written. Internal files live under
 * {@code .garden-internal/}, which no key can name because key segments may not start with '.'.
 */
public final class FileObjectStore implements ObjectStore {

  private static final String INTERNAL = ".garden-internal";
  static final int LOCK_STRIPES = 64;
  /** A lock file of the layout before stripes: one per key, named by the key's whole hash. */
  private static final java.util.regex.Pattern PER_KEY_LOCK = java.util.regex.Pattern.compile("[0-9a-f]{64}\\.lock");
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final Path locks;
  private final Path tmp;

  public FileObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.locks = this.root.resolve(INTERNAL).resolve("locks");
    this.tmp = this.root.resolve(INTERNAL).resolve("tmp");
    try {
      Files.createDirectories(locks);
      Files.createDirectories(tmp);
      removePerKeyLocks();
    } catch (IOException e) {
      throw new ObjectStoreException("cannot create the store folder " + this.root + ": " + e.getMessage(), e);
    }
  }

  /** The empty lock files an older version left, one per key it ever wrote. */
  private void removePerKeyLocks() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(locks)) {
      for (Path file : files.filter(f -> PER_KEY_LOCK.matcher(f.getFileName().toString()).matches()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** How many lock files the store holds (bounded by {@value #LOCK_STRIPES}). */
  int lockFiles() {
    try (java.util.stream.Stream<Path> files = Files.list(locks)) {
      return (int) files.count();
    } catch (IOException e) {
      throw new ObjectStoreException("cannot list " + locks + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public Optional<StoredObject> get(String key) {
    return read(key).map(bytes -> new StoredObject(key, bytes, ContentHash.sha256(bytes)));
  }

  @Override
  public String putIfAbsent(String key, byte[] body) {
    return locked(key, () -> {
      if (Files.exists(file(key))) {
        throw new PreconditionFailedException(key, "object '" + key + "' already exists in " + describe());
      }
      return write(key, body);
    });
  }

  @Override
  public String putIfMatch(String key, byte[] body, String etag) {
    return locked(key, () -> {
      requireEtag(key, etag);
      return write(key, body);
    });
  }

  @Override
  public void deleteIfMatch(String key, String etag) {
    locked(key, () -> {
      requireEtag(key, etag);
      try {
        Files.delete(file(key));
      } catch (IOException e) {
        throw new ObjectStoreException("cannot delete '" + key + "' in " + describe() + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  @Override
  public String put(String key, byte[] body) {
    return locked(key, () -> write(key, body));
  }

  @Override
  public List<String> list(String prefix) {
    String checked = ObjectKeys.checkPrefix(prefix);
    // Walk only the folder the prefix names, and let objects come and go meanwhile: other writers (a self-test,
    // a concurrent publish) create and delete files while we list, which is no error.
    int slash = checked.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(checked.substring(0, slash));
    List<String> keys = new java.util.ArrayList<>();
    try {
      if (!Files.isDirectory(start)) {
        return List.of();
      }
      Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            if (!key.startsWith(INTERNAL + "/") && key.startsWith(checked)) {
              keys.add(key);
            }
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof java.nio.file.NoSuchFileException) {
            return java.nio.file.FileVisitResult.CONTINUE; // deleted while we listed
          }
          throw e;
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new ObjectStoreException("cannot list " + describe() + ": " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public String describe() {
    return "folder store " + root;
  }

  private void requireEtag(String key, String etag) {
    byte[] current = read(key).orElseThrow(() -> new PreconditionFailedException(key,
        "object '" + key + "' no longer exists in " + describe()));
    if (!ContentHash.sha256(current).equals(etag)) {
      throw new PreconditionFailedException(key,
          "object '" + key + "' changed since it was read (ETag " + etag + " is stale) in " + describe());
    }
  }

  private Optional<byte[]> read(String key) {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ObjectStoreException("cannot read '" + key + "' in " + describe() + ": " + e.getMessage(), e);
    }
  }

  private String write(String key, byte[] body) {
    Path target = file(key);
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      // Not createTempFile: its 0600 would make every stored object private to whoever published last; a plain
      // create gets the process umask, like every other file the user writes.
      temp = tmp.resolve("put-" + java.util.UUID.randomUUID() + ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Durable before visible: after a crash the renamed file must hold the whole content.
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return ContentHash.sha256(body);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ObjectStoreException("cannot write '" + key + "' in " + describe() + ": " + e.getMessage(), e);
    }
  }

  private <T> T locked(String key, Supplier<T> action) {
    int stripe = Math.floorMod(java.util.Arrays.hashCode(ContentHash.sha256(key.getBytes(StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.US_ASCII)), LOCK_STRIPES);
    Path lockFile = locks.resolve(String.format(java.util.Locale.ROOT, "stripe-%02d.lock", stripe));
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      return action.get();
    } catch (IOException e) {
      throw new ObjectStoreException("cannot lock '" + key + "' in " + describe() + ": " + e.getMessage(), e);
    } finally {
      jvmLock.unlock();
    }
  }

  private Path file(String key) {
    return root.resolve(ObjectKeys.check(key));
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // A stray temp file under .garden-internal/tmp is harmless and never listed.
      }
    }
  }
}
