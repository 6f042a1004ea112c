package dev.camel.eventstore.reliability;

/**
 * The size of a run: the everyday suite uses the base figures, the soak profile ({@code -Psoak}) multiplies them
 * (more events, more crashes, longer outages).
 */
final class Scale {
    static final int FACTOR = Integer.getInteger("reliability.scale", 1);

    private Scale() {}

    static int of(int base) {
        return base * FACTOR;
    }
}
