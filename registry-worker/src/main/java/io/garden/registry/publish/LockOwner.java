package io.garden.registry.publish;

/** Who is publishing: written into the lock so a waiting publisher can say who it waits for. */
public record LockOwner(String owner, String host, long pid, String pipeline, long fencingToken) {

  public static LockOwner local(String host, String pipeline) {
    return new LockOwner(System.getProperty("user.name", "unknown"), host, ProcessHandle.current().pid(), pipeline,
        System.currentTimeMillis());
  }
}
