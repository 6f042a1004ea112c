package dev.camel.eventstore.testkit;

/** A bounded read of {@code $all}, forwards or backwards. */
final class ReadAllSource implements ResponsePump.Source {
    private final EventLog log;
    private final LinkResolver links;
    private final EventFilter filter;
    private final boolean forwards;
    private long remaining;
    /** Forwards: next index to read. Backwards: one past the next index to read. */
    private int cursor;

    private final int end;

    /**
     * @param startIndex forwards: the first index read; backwards: one past the first index read
     */
    ReadAllSource(EventLog log, LinkResolver links, EventFilter filter, boolean forwards, int startIndex, long count) {
        this.log = log;
        this.links = links;
        this.filter = filter;
        this.forwards = forwards;
        this.cursor = startIndex;
        this.remaining = count;
        // a read sees the log as it was when it started
        this.end = log.size();
    }

    @Override
    public Object next() {
        while (remaining > 0 && (forwards ? cursor < end : cursor > 0)) {
            StoredEvent event = log.get(forwards ? cursor++ : --cursor);
            if (filter == null || filter.test(event)) {
                remaining--;
                return links.respond(event);
            }
        }
        remaining = 0;
        return null;
    }

    @Override
    public boolean finished() {
        return remaining <= 0;
    }
}
