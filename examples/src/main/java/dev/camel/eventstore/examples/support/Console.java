package dev.camel.eventstore.examples.support;

import java.io.PrintStream;

/** What an example shows on the console: its logging configuration, and a banner saying what it does. */
public final class Console {
    private static final String LOGGING = "examples-logback.xml";

    private Console() {}

    /**
     * Uses the examples' logging configuration unless {@code -Dlogback.configurationFile} names another. Call it first
     * in {@code main}, before anything logs. A {@code logback.xml} on the classpath would impose itself on every
     * application sharing the jar (the demo too), hence a file of its own.
     */
    public static void useExampleLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
    }

    /** Prints a title and indented lines between rules, so that they stand out from the log that follows. */
    public static void banner(String title, String... lines) {
        PrintStream out = System.out;
        String rule = "=".repeat(100);
        out.println(rule);
        out.println(title);
        for (String line : lines) {
            out.println("  " + line);
        }
        out.println(rule);
        out.flush();
    }
}
