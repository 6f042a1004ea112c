package dev.camel.eventstore.testkit;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The log's records in a file, so that a server started on the same data directory (a demo run again) finds every
 * event of the previous run: each record is its wire form, length-prefixed, appended in log order.
 *
 * <p>Records are flushed to the operating system at the end of every write operation, so a killed process loses
 * nothing that was acknowledged to a client; there is no fsync, as a testkit needs no protection against power
 * loss. A record cut short by a crash during its write is dropped on load.
 */
final class EventJournal implements AutoCloseable {
    static final String FILE_NAME = "events.journal";

    private final Path file;
    private DataOutputStream out;

    private EventJournal(Path file) {
        this.file = file;
    }

    /**
     * Opens (creating it if needed) the journal in {@code directory} and hands every complete record it holds to
     * {@code restore}, in order.
     */
    static EventJournal open(Path directory, Consumer<byte[]> restore) {
        EventJournal journal = new EventJournal(directory.resolve(FILE_NAME));
        try {
            Files.createDirectories(directory);
            long valid = journal.load(restore);
            try (FileChannel channel = FileChannel.open(journal.file, StandardOpenOption.WRITE)) {
                channel.truncate(valid);
            }
            journal.out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(journal.file, StandardOpenOption.APPEND), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the event journal " + journal.file + ": " + e.getMessage(), e);
        }
        return journal;
    }

    /** Reads every complete record; returns the length of the file up to the end of the last one. */
    private long load(Consumer<byte[]> restore) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
            return 0;
        }
        long valid = 0;
        try (InputStream stream = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(stream, 64 * 1024))) {
            while (true) {
                byte[] record;
                try {
                    int length = in.readInt();
                    record = new byte[length];
                    in.readFully(record);
                } catch (EOFException end) {
                    return valid;
                }
                restore.accept(record);
                valid += Integer.BYTES + record.length;
            }
        }
    }

    /** Adds a record; it reaches the file at the next {@link #flush()}. */
    void write(byte[] record) {
        try {
            out.writeInt(record.length);
            out.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the event journal " + file + ": " + e.getMessage(), e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the event journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the event journal " + file + ": " + e.getMessage(), e);
        }
    }
}
