package io.garden.gateway.chatops;

import io.garden.common.model.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatCommandTest {

  @Test
  @DisplayName("publish names an extension and a stage, optionally a dry run")
  void publish() {
    assertThat(ChatCommand.parse("publish apps/team-notes to prod"))
        .isEqualTo(new ChatCommand.Publish("apps/team-notes", Stage.PROD, false));
    assertThat(ChatCommand.parse("  publish   tool-x  to dev   dry-run "))
        .isEqualTo(new ChatCommand.Publish("tool-x", Stage.DEV, true));
  }

  @Test
  @DisplayName("status, lock, unlock and help parse; empty text is help")
  void otherCommands() {
    assertThat(ChatCommand.parse("status p-20261130-120000-abcd1234"))
        .isEqualTo(new ChatCommand.Status("p-20261130-120000-abcd1234"));
    assertThat(ChatCommand.parse("lock stage")).isEqualTo(new ChatCommand.Lock(Stage.STAGE));
    assertThat(ChatCommand.parse("unlock prod")).isEqualTo(new ChatCommand.Unlock(Stage.PROD));
    assertThat(ChatCommand.parse("help")).isEqualTo(new ChatCommand.Help());
    assertThat(ChatCommand.parse("")).isEqualTo(new ChatCommand.Help());
  }

  @Test
  @DisplayName("an unknown stage, a bad extension name, a wrong shape or an unknown verb is invalid, saying why")
  void invalid() {
    assertThat(ChatCommand.parse("publish x to qa")).isEqualTo(new ChatCommand.Invalid(
        "unknown stage 'qa': use dev, stage or prod"));
    assertThat(ChatCommand.parse("publish ../../etc to dev")).isInstanceOf(ChatCommand.Invalid.class);
    assertThat(ChatCommand.parse("publish x")).isEqualTo(new ChatCommand.Invalid(
        "write it as: publish <extension> to <dev|stage|prod> [dry-run]"));
    assertThat(ChatCommand.parse("deploy x")).isEqualTo(new ChatCommand.Invalid("unknown command 'deploy'"));
    assertThat(ChatCommand.parse("status ;rm -rf")).isInstanceOf(ChatCommand.Invalid.class);
  }
}
