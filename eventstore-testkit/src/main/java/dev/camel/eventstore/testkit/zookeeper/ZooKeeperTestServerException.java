package dev.camel.eventstore.testkit.zookeeper;

/** Thrown when the in-process ZooKeeper test server cannot be prepared, started or stopped; the cause tells why. */
public final class ZooKeeperTestServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ZooKeeperTestServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
