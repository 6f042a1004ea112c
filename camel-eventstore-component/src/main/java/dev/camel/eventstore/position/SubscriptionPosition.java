package dev.camel.eventstore.position;

import com.eventstore.dbclient.Position;
import java.util.Objects;

/**
 * Where a subscription stands: the start, a position in {@code $all} (commit and prepare), or a revision in one
 * stream. It is what the consumer records as processed and what checkpoints store; its text form ({@code start},
 * {@code <commit>/<prepare>} or {@code <revision>}) is how it is written to a checkpoint store.
 *
 * <p>Positions are exclusive starts: resuming from a position delivers the events after it.
 */
public final class SubscriptionPosition implements Comparable<SubscriptionPosition> {
    /** Nothing processed yet: a subscription from here delivers the first event. */
    public static final SubscriptionPosition START = new SubscriptionPosition(Kind.START, 0, 0);

    private enum Kind {
        START,
        ALL,
        STREAM
    }

    private final Kind kind;
    private final long first;
    private final long second;

    private SubscriptionPosition(Kind kind, long first, long second) {
        this.kind = kind;
        this.first = first;
        this.second = second;
    }

    /** A position in {@code $all}; the commit position must not be below the prepare position. */
    public static SubscriptionPosition ofAll(long commit, long prepare) {
        if (commit < 0 || prepare < 0 || commit < prepare) {
            throw new IllegalArgumentException(
                    "A $all position needs commit >= prepare >= 0, got " + commit + "/" + prepare);
        }
        return new SubscriptionPosition(Kind.ALL, commit, prepare);
    }

    public static SubscriptionPosition ofAll(Position position) {
        return ofAll(position.getCommitUnsigned(), position.getPrepareUnsigned());
    }

    /** A revision in one stream. */
    public static SubscriptionPosition ofRevision(long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("A stream revision cannot be negative, got " + revision);
        }
        return new SubscriptionPosition(Kind.STREAM, revision, 0);
    }

    /**
     * Parses the text form: {@code start}, {@code <commit>/<prepare>} or {@code <commit>} for {@code $all}, a
     * revision for a stream.
     *
     * @param all whether the position is in {@code $all} (else in one stream)
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static SubscriptionPosition parse(String text, boolean all) {
        String value = Objects.requireNonNull(text, "position").trim();
        if (value.equalsIgnoreCase("start")) {
            return START;
        }
        try {
            if (!all) {
                if (value.contains("/")) {
                    throw new IllegalArgumentException("'" + value
                            + "' is a $all position; a stream subscription starts at a revision (a number)");
                }
                return ofRevision(Long.parseLong(value));
            }
            int slash = value.indexOf('/');
            if (slash < 0) {
                long commit = Long.parseLong(value);
                return ofAll(commit, commit);
            }
            return ofAll(Long.parseLong(value.substring(0, slash)), Long.parseLong(value.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a position: expected start, "
                    + (all ? "<commit>/<prepare> or <commit>" : "a revision number"));
        }
    }

    public boolean isStart() {
        return kind == Kind.START;
    }

    public boolean isAll() {
        return kind == Kind.ALL;
    }

    /** The commit position ({@code $all}) or the revision (stream). */
    public long value() {
        return first;
    }

    /** The commit position of a {@code $all} position; {@link IllegalStateException} for another kind. */
    public long commit() {
        return as(Kind.ALL).first;
    }

    /** The prepare position of a {@code $all} position; {@link IllegalStateException} for another kind. */
    public long prepare() {
        return as(Kind.ALL).second;
    }

    /** The revision of a stream position; {@link IllegalStateException} for another kind. */
    public long revision() {
        return as(Kind.STREAM).first;
    }

    /** A {@code $all} position as the client's {@link Position}; {@link IllegalStateException} for another kind. */
    public Position toPosition() {
        return new Position(as(Kind.ALL).first, second);
    }

    /** This position, checked to be of the {@code expected} kind. */
    private SubscriptionPosition as(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException(this + " is not a " + expected + " position");
        }
        return this;
    }

    /** START sorts first; positions of the same kind by commit then prepare (or revision). */
    @Override
    public int compareTo(SubscriptionPosition other) {
        if (kind == Kind.START || other.kind == Kind.START) {
            return Boolean.compare(kind != Kind.START, other.kind != Kind.START);
        }
        if (kind != other.kind) {
            throw new IllegalArgumentException("Cannot compare " + this + " with " + other);
        }
        int c = Long.compare(first, other.first);
        return c != 0 ? c : Long.compare(second, other.second);
    }

    public boolean isAfter(SubscriptionPosition other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriptionPosition p && kind == p.kind && first == p.first && second == p.second;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, first, second);
    }

    /** The text form, accepted by {@link #parse}. */
    @Override
    public String toString() {
        return switch (kind) {
            case START -> "start";
            case ALL -> first + "/" + second;
            case STREAM -> Long.toString(first);
        };
    }
}
