package dev.camel.eventstore;

import com.eventstore.dbclient.ExpectedRevision;

/** Parses the {@code expectedRevision} option and header: any, no_stream, stream_exists or a revision. */
final class ExpectedRevisions {
    private ExpectedRevisions() {}

    static ExpectedRevision parse(Object value) {
        if (value instanceof Number n) {
            return ExpectedRevision.expectedRevision(n.longValue());
        }
        String text = value == null ? "any" : value.toString().trim();
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "", "any":
                return ExpectedRevision.any();
            case "no_stream", "nostream":
                return ExpectedRevision.noStream();
            case "stream_exists", "streamexists":
                return ExpectedRevision.streamExists();
            default:
                try {
                    long revision = Long.parseLong(text);
                    if (revision >= 0) {
                        return ExpectedRevision.expectedRevision(revision);
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw new IllegalArgumentException("Invalid expected revision '" + text
                        + "': expected any, no_stream, stream_exists or a revision number");
        }
    }
}
