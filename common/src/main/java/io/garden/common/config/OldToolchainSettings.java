package io.garden.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the old Makefile read besides its variables, so a checkout that worked with make works with garden: its
 * {@code .env} (KEY=VALUE lines it included; the real environment wins, as it did), and its one bucket per stage
 * ({@code KAMIWAZA_REGISTRY_BUCKET}, {@code _STAGE}, {@code _PROD}), which are garden's
 * {@code GARDEN_STORE_DEV|STAGE|PROD=s3://BUCKET}. A stage given both ways, differently, is refused: neither may
 * silently win.
 *
 * <p>A repository is hostile input, and its {@code .env} comes with it: only where registries are kept is read from
 * it (buckets, stores, S3 and AWS profile settings, the image registry). Anything else there, a gateway's address,
 * a token, a Kafka cluster or an engine, would hand the user's credentials or builds to whoever wrote the file: it is
 * named and left out.
 */
public final class OldToolchainSettings {

  /** What {@link #apply} made of the environment, and what it left out of {@code .env}, to say so. */
  public record Applied(Map<String, String> env, java.util.List<String> ignored) {
  }

  private static final Pattern READ_FROM_DOT_ENV = Pattern.compile(
      "KAMIWAZA_REGISTRY_(BUCKET|ENDPOINT|REGION|ACCOUNT_ID)(_STAGE|_PROD)?|GARDEN_STORE(_DEV|_STAGE|_PROD)?|GARDEN_S3_[A-Z_]+|AWS_PROFILE(_[A-Z]+)?"
          + "|AWS_REGION|AWS_DEFAULT_REGION|GARDEN_IMAGE_REGISTRY|GARDEN_BACKUP_KEEP");

  private static final Pattern LINE = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*");
  private static final Map<String, String> BUCKETS = Map.of(
      "KAMIWAZA_REGISTRY_BUCKET", "GARDEN_STORE_DEV",
      "KAMIWAZA_REGISTRY_BUCKET_STAGE", "GARDEN_STORE_STAGE",
      "KAMIWAZA_REGISTRY_BUCKET_PROD", "GARDEN_STORE_PROD");
  /** A file larger than this is not a settings file. */
  private static final long MAX_BYTES = 64 * 1024;

  private OldToolchainSettings() {
  }

  /** {@code env} with {@code folder/.env} under it (the environment wins) and the old bucket names translated. */
  public static Applied apply(Map<String, String> env, Path folder) {
    Map<String, String> merged = new LinkedHashMap<>();
    java.util.List<String> ignored = new java.util.ArrayList<>();
    dotEnv(folder.resolve(".env")).forEach((key, value) -> {
      if (READ_FROM_DOT_ENV.matcher(key).matches()) {
        merged.put(key, value);
      } else if (!env.containsKey(key)) {
        ignored.add(key);
      }
    });
    merged.putAll(env);
    return new Applied(translateEndpoints(translateBuckets(merged)), java.util.List.copyOf(ignored));
  }

  /** The old names' suffixes and garden's: the plain one is every stage's, as the old scripts used it. */
  private static final Map<String, String> SUFFIXES = Map.of("", "", "_STAGE", "_STAGE", "_PROD", "_PROD");

  /**
   * The old endpoint, region and account id ({@code KAMIWAZA_REGISTRY_ENDPOINT}, {@code _REGION},
   * {@code _ACCOUNT_ID}, each also {@code _STAGE} / {@code _PROD}) as garden's {@code GARDEN_S3_ENDPOINT},
   * {@code GARDEN_S3_REGION}: an account id alone means Cloudflare R2 ({@code https://ACCOUNT.r2.cloudflarestorage.com},
   * region {@code auto}). A bucket whose old settings named another endpoint must never be looked for on AWS, where
   * anyone may own a bucket of that name: so these are never dropped, a disagreement with garden's own names is
   * refused, and a server that is not AWS is addressed path-style unless said otherwise.
   */
  static Map<String, String> translateEndpoints(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>(env);
    SUFFIXES.forEach((old, garden) -> {
      String endpoint = value(env, "KAMIWAZA_REGISTRY_ENDPOINT" + old);
      String account = value(env, "KAMIWAZA_REGISTRY_ACCOUNT_ID" + old);
      String region = value(env, "KAMIWAZA_REGISTRY_REGION" + old);
      if (endpoint == null && account != null) {
        if (!account.matches("[A-Za-z0-9-]{1,64}")) {
          throw new IllegalArgumentException("Error: KAMIWAZA_REGISTRY_ACCOUNT_ID" + old + "=" + account + " is not an"
              + " account id (letters, digits and '-')");
        }
        endpoint = "https://" + account + ".r2.cloudflarestorage.com";
        region = region == null ? "auto" : region;
      }
      agree(out, "KAMIWAZA_REGISTRY_ENDPOINT" + old, endpoint, "GARDEN_S3_ENDPOINT" + garden);
      agree(out, "KAMIWAZA_REGISTRY_REGION" + old, region, "GARDEN_S3_REGION" + garden);
      if (endpoint != null && value(env, "GARDEN_S3_PATH_STYLE" + garden) == null) {
        out.put("GARDEN_S3_PATH_STYLE" + garden, "true");
      }
    });
    return out;
  }

  private static void agree(Map<String, String> out, String old, String value, String garden) {
    if (value == null) {
      return;
    }
    String own = value(out, garden);
    if (own != null && !own.equals(value)) {
      throw new IllegalArgumentException("Error: " + old + " means " + garden + "=" + value + ", but " + garden + "="
          + own + " is set too; keep one of them (" + garden + " is garden's name for it)");
    }
    out.put(garden, value);
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  static Map<String, String> translateBuckets(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>(env);
    BUCKETS.forEach((old, garden) -> {
      String bucket = env.get(old);
      if (bucket == null || bucket.isBlank()) {
        return;
      }
      String store = "s3://" + bucket.trim().replaceFirst("^s3://", "");
      String own = env.get(garden);
      if (own != null && !own.isBlank() && !own.trim().equals(store)) {
        throw new IllegalArgumentException("Error: " + old + "=" + bucket + " and " + garden + "=" + own + " name"
            + " different stores for one stage; keep one of them (" + garden + " is garden's name for it)");
      }
      out.put(garden, store);
    });
    return out;
  }

  static Map<String, String> dotEnv(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return values;
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException("Error: " + file + " is larger than " + MAX_BYTES + " bytes; it is not"
            + " read as settings");
      }
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("Error: " + file + ":" + number + ": not KEY=VALUE: " + trimmed);
        }
        values.put(m.group(1), unquote(m.group(2)));
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    int comment = value.indexOf(" #");
    return comment < 0 ? value : value.substring(0, comment).strip();
  }
}
