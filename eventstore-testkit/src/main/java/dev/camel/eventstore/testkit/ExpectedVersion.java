package dev.camel.eventstore.testkit;

/** Expected versions as the server encodes them: a revision, or one of the negative markers. */
final class ExpectedVersion {
    static final long ANY = -2;
    static final long NO_STREAM = -1;
    static final long STREAM_EXISTS = -4;

    private ExpectedVersion() {}

    /**
     * Decodes the {@code expected_stream_revision} oneof; append, delete and tombstone requests each have their
     * own generated enum for it, with the same constant names.
     */
    static long fromWire(Enum<?> optionCase, long revision) {
        return switch (optionCase.name()) {
            case "NO_STREAM" -> NO_STREAM;
            case "STREAM_EXISTS" -> STREAM_EXISTS;
            case "REVISION" -> revision;
            default -> ANY;
        };
    }
}
