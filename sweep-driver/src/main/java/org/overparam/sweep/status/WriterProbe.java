package org.overparam.sweep.status;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether a driver is writing an output folder now: the seam where the one-writer lock (a lock file
 * in the folder with host, pid, since and a heartbeat) plugs into {@code overparam status}:
 * {@link LockProbe} reads it and answers WRITING (a fresh heartbeat) or NOT_WRITING (no lock, or a stale
 * one); {@link #NONE} answers {@link Writer.State#UNKNOWN}, for a reader that cannot tell.
 */
@FunctionalInterface
public interface WriterProbe {
    /** No writer lock to read: the writer is unknown. */
    WriterProbe NONE = (fs, dir) -> new Writer(Writer.State.UNKNOWN,
            "the writer is not known; judge by the last commit's age");

    Writer probe(FileSystem fs, Path dir) throws IOException;

    /** The answer: a state and what it rests on (e.g. "host h, pid 123, since …, heartbeat 4 s ago"). */
    record Writer(State state, String detail) {
        public enum State { WRITING, NOT_WRITING, UNKNOWN }
    }
}
