package dev.camel.eventstore.examples.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * A camel-main application running as its {@code main} runs it ({@link Main#run()}, which blocks until the application
 * completes), on a thread of its own; {@link #close()} completes it as Ctrl-C would and waits until it stopped.
 */
public final class RunningMain implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(30);

    private final Main main;
    private final Thread thread;
    private volatile Exception failure;

    private RunningMain(Main main) {
        this.main = main;
        this.thread = new Thread(this::run, "example-main");
    }

    /** Runs the application and returns once its CamelContext has started. */
    public static RunningMain start(Main main) {
        RunningMain running = new RunningMain(main);
        running.thread.start();
        await().atMost(START).until(() -> {
            if (running.failure != null) {
                throw new AssertionError("The application did not start", running.failure);
            }
            CamelContext context = main.getCamelContext();
            return context != null && context.isStarted();
        });
        return running;
    }

    private void run() {
        try {
            main.run();
        } catch (Exception e) {
            failure = e;
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Stops the application gracefully (its routes, then its beans such as the resume strategy). */
    @Override
    public void close() throws Exception {
        main.completed();
        thread.join(Duration.ofSeconds(30).toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("The application did not stop within 30 s");
        }
        if (failure != null) {
            throw failure;
        }
    }
}
