package io.garden.gateway.chatops;

import io.garden.common.model.Stage;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chat user can ask, parsed from the text of a slash command:
 * {@code publish <extension> to <dev|stage|prod> [dry-run]}, {@code status <pipeline>}, {@code lock <stage>},
 * {@code unlock <stage>}, {@code help}. Anything else is {@link Invalid} with the reason and the grammar.
 */
public sealed interface ChatCommand {

  String USAGE = "publish <extension> to <dev|stage|prod> [dry-run] · status <pipeline> · lock <stage> ·"
      + " unlock <stage> · help";

  record Publish(String extension, Stage stage, boolean dryRun) implements ChatCommand {
  }

  record Status(String pipeline) implements ChatCommand {
  }

  /** Shows who holds the stage's publish lock. */
  record Lock(Stage stage) implements ChatCommand {
  }

  /** Removes the stage's publish lock (refused while its lease is live). */
  record Unlock(Stage stage) implements ChatCommand {
  }

  record Help() implements ChatCommand {
  }

  record Invalid(String reason) implements ChatCommand {
  }

  Pattern PUBLISH = Pattern.compile("publish\\s+(\\S+)\\s+to\\s+(\\S+)(\\s+dry-run)?");
  Pattern STATUS = Pattern.compile("status\\s+([A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  Pattern LOCK = Pattern.compile("(lock|unlock)\\s+(\\S+)");
  Pattern EXTENSION = Pattern.compile("(apps|services|tools|app|service|tool)/[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
      + "|[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  static ChatCommand parse(String text) {
    String command = text == null ? "" : text.trim().replaceAll("\\s+", " ");
    if (command.isEmpty() || command.equalsIgnoreCase("help")) {
      return new Help();
    }
    Matcher publish = PUBLISH.matcher(command);
    if (publish.matches()) {
      String extension = publish.group(1);
      boolean dryRun = publish.group(3) != null;
      if (!EXTENSION.matcher(extension).matches()) {
        return new Invalid("'" + extension + "' is not an extension name");
      }
      return stage(publish.group(2), s -> new Publish(extension, s, dryRun));
    }
    Matcher status = STATUS.matcher(command);
    if (status.matches()) {
      return new Status(status.group(1));
    }
    Matcher lock = LOCK.matcher(command);
    if (lock.matches()) {
      boolean take = lock.group(1).equals("lock");
      return stage(lock.group(2), s -> take ? new Lock(s) : new Unlock(s));
    }
    String first = command.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    return new Invalid(switch (first) {
      case "publish" -> "write it as: publish <extension> to <dev|stage|prod> [dry-run]";
      case "status" -> "write it as: status <pipeline id>";
      case "lock", "unlock" -> "write it as: " + first + " <dev|stage|prod>";
      default -> "unknown command '" + first + "'";
    });
  }

  private static ChatCommand stage(String value, java.util.function.Function<Stage, ChatCommand> then) {
    try {
      return then.apply(Stage.parse(value));
    } catch (IllegalArgumentException e) {
      return new Invalid("unknown stage '" + value + "': use dev, stage or prod");
    }
  }
}
