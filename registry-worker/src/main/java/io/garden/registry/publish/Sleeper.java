package io.garden.registry.publish;

import java.time.Duration;

/** How a publisher waits between looks at a held lock; blocking, so publishers run on worker threads. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
}
