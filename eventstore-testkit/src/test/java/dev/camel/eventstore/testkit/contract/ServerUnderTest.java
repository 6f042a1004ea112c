package dev.camel.eventstore.testkit.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The server one run of the contract talks to, registered by the run class: started before the first family,
 * shared by all of them (as one real server would be) and stopped after the last. Families receive it
 * as a parameter. Where it cannot run (no Docker engine for a container), every test is skipped, not failed.
 */
final class ServerUnderTest implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
    /** A started server: how clients reach it, and how to stop it. */
    record Running(String connectionString, Runnable stop) {}

    private final Supplier<Running> starter;
    private final String whyUnavailable;

    /** The run class, whose end stops the server; the families' classes nested in it come and go in between. */
    private Class<?> owner;

    private Running running;

    /**
     * @param starter starts the server, or answers {@code null} where it cannot run here
     * @param whyUnavailable the reason the tests report as skipped when the starter answered {@code null}
     */
    ServerUnderTest(Supplier<Running> starter, String whyUnavailable) {
        this.starter = starter;
        this.whyUnavailable = whyUnavailable;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (owner == null) {
            owner = context.getRequiredTestClass();
            running = starter.get();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass() == owner) {
            owner = null;
            if (running != null) {
                running.stop().run();
                running = null;
            }
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        assumeTrue(running != null, whyUnavailable);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServerUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    synchronized String connectionString() {
        return running.connectionString();
    }
}
