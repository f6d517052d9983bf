package io.garden.registry.publish;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.garden.common.store.FileObjectStore;
import io.garden.common.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators read lock hand-overs in the service log: one info line each, no stack trace. */
class LockLogTest {

  private static final String KEY = "garden/v2/registry.lock";

  @TempDir
  Path root;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(LockManager.class);

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  @Test
  @DisplayName("taking over a dead holder's lock is one info line naming the key, the old holder, why, and the new one")
  void takeOverIsOneInfoLine() {
    ObjectStore store = new FileObjectStore(root);
    Instant past = Instant.now().minusSeconds(60);
    store.put(KEY, LockManager.encode(new PublishLock("crashed-publisher", "host-b", 7, "p-old", past,
        past.plusSeconds(9), 3, null)));
    LockManager locks = new LockManager(store, Clock.systemUTC(), Sleeper.REAL, e -> { });

    locks.acquire(KEY, LockOwner.local("host-a", "p-new"), Duration.ofSeconds(9), Duration.ZERO, "remove it");

    assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("taken over")).singleElement()
        .satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.INFO);
          assertThat(e.getFormattedMessage()).contains(KEY).contains("crashed-publisher").contains("lease ended");
          assertThat(e.getThrowableProxy()).isNull();
        });
    assertThat(log.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }
}
