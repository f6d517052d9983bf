package io.garden.cli;

import io.garden.gateway.intake.CredentialFile;
import io.garden.gateway.intake.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code garden token create|list|revoke}: the named API credentials a gateway accepts. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = {"Create, list and revoke the named API credentials a gateway accepts.",
        "",
        "Each credential is a name and its roles; the file (GARDEN_API_TOKENS_FILE, or --file) keeps only a",
        "hash of its secret, which `create` prints once. A gateway reading the file takes changes within",
        "seconds, so `revoke` locks a credential out without a restart. Events name the principal as",
        "api:NAME. Roles: read, run, publish:dev, publish:stage, publish:prod, promote:stage,",
        "promote:prod, unpublish, restore, unlock, unlock:force (a live lease), admin (everything).",
        "A CI job that builds and publishes to dev needs run,publish:dev."},
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Callable<Integer> {

  @ParentCommand
  GardenCommand parent;

  @Override
  public Integer call() {
    throw new IllegalArgumentException("Error: say what to do: garden token create NAME --roles ..., garden token"
        + " list, or garden token revoke NAME");
  }

  /** What every token subcommand shares: which file. */
  abstract static class OnFile implements Callable<Integer> {

    @ParentCommand
    TokenCommand token;

    @Option(names = "--file", paramLabel = "FILE", description = "The credential file (default:"
        + " GARDEN_API_TOKENS_FILE).")
    Path file;

    CredentialFile credentials() {
      Path chosen = file;
      if (chosen == null) {
        String fromEnv = token.parent.env().get("GARDEN_API_TOKENS_FILE");
        if (fromEnv == null || fromEnv.isBlank()) {
          throw new IllegalArgumentException("Error: no credential file: set GARDEN_API_TOKENS_FILE (the file the"
              + " gateway reads) or give --file FILE");
        }
        chosen = Path.of(fromEnv.trim());
      }
      return new CredentialFile(chosen, Clock.systemUTC());
    }

    PrintWriter out() {
      return token.parent.spec.commandLine().getOut();
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Make a credential and print its secret, once: it is not stored anywhere.",
          "",
          "Hand the secret to its user as GARDEN_API_TOKEN (the CLI sends it as a bearer token)."})
  static final class Create extends OnFile {

    @Parameters(paramLabel = "NAME", description = "Who or what it is for (lower case: ci-bot, alice).")
    String name;

    @Option(names = "--roles", required = true, paramLabel = "ROLE[,ROLE...]",
        description = "What it may do: read, run, publish:dev, publish:stage, publish:prod, promote:stage,"
            + " promote:prod, unpublish, restore, unlock, unlock:force, admin.")
    String roles;

    @Override
    public Integer call() {
      CredentialFile credentials = credentials();
      String secret = credentials.create(name, Role.parseList(roles));
      PrintWriter out = out();
      out.println(secret);
      out.flush();
      token.parent.spec.commandLine().getErr().println("Created " + name + " (" + Role.wire(Role.parseList(roles))
          + ") in " + credentials.path() + ". The line above is its secret: it is shown only now.");
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the credentials: name, roles and when each was made (never a secret)."})
  static final class ListTokens extends OnFile {

    @Override
    public Integer call() {
      CredentialFile credentials = credentials();
      List<CredentialFile.Entry> entries = credentials.list();
      PrintWriter out = out();
      if (entries.isEmpty()) {
        out.println("No credentials in " + credentials.path() + " (garden token create NAME --roles ...).");
      }
      for (CredentialFile.Entry entry : entries) {
        out.printf("%-24s %-40s %s%n", entry.name(), String.join(",", entry.roles()), entry.created());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Remove a credential: a gateway stops accepting it within seconds."})
  static final class Revoke extends OnFile {

    @Parameters(paramLabel = "NAME", description = "The credential to remove.")
    String name;

    @Override
    public Integer call() {
      CredentialFile credentials = credentials();
      credentials.revoke(name);
      out().println("Revoked " + name + " in " + credentials.path() + ".");
      out().flush();
      return ExitCodes.OK;
    }
  }
}
