package io.garden.gateway.chatops;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionType;
import io.garden.extension.model.InvalidExtensionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The extension a chat command names, found in the chat-ops repository before anything is queued: people type
 * {@code team-notes} as often as {@code apps/team-notes}. A name that is in no type folder, or in several, is
 * answered at once in the channel, instead of a pipeline that fails there later. Reads the repository: blocking.
 */
final class ChatExtensions {

  /** The extension's id, or why there is none. */
  record Found(String id, String problem) {
  }

  private ChatExtensions() {
  }

  static Found resolve(Path repository, String asked) {
    ExtensionDiscovery discovery = new ExtensionDiscovery(repository);
    if (asked.contains("/")) {
      try {
        String[] parts = asked.split("/", 2);
        ExtensionType type = ExtensionType.parse(parts[0]);
        return new Found(discovery.resolve(type, parts[1]).id(), null);
      } catch (InvalidExtensionException | IllegalArgumentException e) {
        return new Found(null, "No extension " + asked + " in the chat-ops repository");
      }
    }
    List<String> matches = new ArrayList<>();
    for (ExtensionType type : ExtensionType.values()) {
      try {
        matches.add(discovery.resolve(type, asked).id());
      } catch (InvalidExtensionException notThere) {
        // looked in the next type folder
      }
    }
    if (matches.size() == 1) {
      return new Found(matches.get(0), null);
    }
    return new Found(null, matches.isEmpty()
        ? "No extension named " + asked + " in apps/, services/ or tools/ of the chat-ops repository"
        : asked + " is in more than one type folder (" + String.join(", ", matches) + "): name one of them");
  }
}
