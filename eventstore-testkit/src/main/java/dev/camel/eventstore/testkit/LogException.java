package dev.camel.eventstore.testkit;

/** A write the log refused; the gRPC layer turns each kind into the status the real server answers with. */
abstract class LogException extends Exception {
    private static final long serialVersionUID = 1L;

    final String stream;

    LogException(String stream, String message) {
        super(message, null, false, false);
        this.stream = stream;
    }

    static final class WrongExpectedVersion extends LogException {
        private static final long serialVersionUID = 1L;
        final long expected;
        final long actual;

        WrongExpectedVersion(String stream, long expected, long actual) {
            super(stream, "wrong expected version");
            this.expected = expected;
            this.actual = actual;
        }
    }

    static final class StreamDeleted extends LogException {
        private static final long serialVersionUID = 1L;

        StreamDeleted(String stream) {
            super(stream, "Event stream '" + stream + "' is deleted.");
        }
    }

    static final class AppendTooLarge extends LogException {
        private static final long serialVersionUID = 1L;
        final int maxAppendSize;

        AppendTooLarge(String stream, int maxAppendSize) {
            super(stream, "Maximum Append Size of " + maxAppendSize + " Exceeded.");
            this.maxAppendSize = maxAppendSize;
        }
    }
}
