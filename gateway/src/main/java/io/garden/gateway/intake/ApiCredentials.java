package io.garden.gateway.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Who a bearer credential belongs to: a named credential from {@link CredentialFile} ({@code api:NAME} with its
 * roles), or the one shared {@code GARDEN_API_TOKEN}, which stays an {@code admin} principal named
 * {@value #SHARED_NAME} so existing set-ups keep working (garden doctor warns about it). Immutable: the gateway
 * swaps in a new one when the file changes.
 */
public final class ApiCredentials {

  /** How the shared token's principal is named in events. */
  public static final String SHARED_NAME = "shared-token";

  private final List<CredentialFile.Entry> entries;
  private final Optional<byte[]> shared;

  public ApiCredentials(List<CredentialFile.Entry> entries, Optional<String> sharedToken) {
    this.entries = List.copyOf(entries);
    this.shared = sharedToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  public static ApiCredentials none() {
    return new ApiCredentials(List.of(), Optional.empty());
  }

  public boolean isEmpty() {
    return entries.isEmpty() && shared.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /**
   * Whether a credential known by its hash ({@link CredentialFile#sha256}) still authenticates: what an open stream
   * asks after the credentials were read again.
   */
  public boolean accepts(String sha256) {
    byte[] wanted = sha256.getBytes(StandardCharsets.US_ASCII);
    boolean found = false;
    for (CredentialFile.Entry entry : entries) {
      found |= MessageDigest.isEqual(wanted, entry.sha256().getBytes(StandardCharsets.US_ASCII));
    }
    if (shared.isPresent()) {
      found |= MessageDigest.isEqual(wanted, CredentialFile.sha256(new String(shared.get(), StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.US_ASCII));
    }
    return found;
  }

  /**
   * Every stored hash is compared, in constant time each, whether or not one matched already: how long this takes
   * says nothing about which credential, or how much of one, was right.
   */
  public Optional<Principal> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    byte[] hash = CredentialFile.sha256(presented).getBytes(StandardCharsets.US_ASCII);
    CredentialFile.Entry match = null;
    for (CredentialFile.Entry entry : entries) {
      if (MessageDigest.isEqual(hash, entry.sha256().getBytes(StandardCharsets.US_ASCII))) {
        match = entry;
      }
    }
    boolean sharedMatches = shared.isPresent() && MessageDigest.isEqual(given, shared.get());
    if (match != null) {
      return Optional.of(new Principal("api:" + match.name(), Door.API, match.roleSet()));
    }
    if (sharedMatches) {
      return Optional.of(new Principal("api:" + SHARED_NAME, Door.API, EnumSet.of(Role.ADMIN)));
    }
    return Optional.empty();
  }
}
