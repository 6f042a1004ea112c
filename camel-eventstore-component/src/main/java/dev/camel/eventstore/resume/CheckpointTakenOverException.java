package dev.camel.eventstore.resume;

import com.eventstore.dbclient.ExpectedRevision;

/**
 * A checkpoint write refused because another consumer appended to the checkpoint stream since this one claimed it:
 * another replica owns the key now, and this one must stop.
 */
final class CheckpointTakenOverException extends Exception {
    private static final long serialVersionUID = 1L;

    CheckpointTakenOverException(String stream, ExpectedRevision expected, ExpectedRevision actual) {
        super("another consumer wrote to the checkpoint stream '" + stream + "' since this one claimed it (expected "
                + describe(expected) + ", found " + describe(actual) + ")");
    }

    private static String describe(ExpectedRevision revision) {
        return revision == null ? "unknown" : revision.toString();
    }
}
