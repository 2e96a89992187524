package org.overparam.sweep.status;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.overparam.sweep.run.OutputLock;

/** {@link WriterProbe} by the output folder's one-writer lock ({@link OutputLock}), read without taking it. */
public final class LockProbe implements WriterProbe {
    @Override
    public Writer probe(FileSystem fs, Path dir) throws IOException {
        OutputLock.Inspection lock = OutputLock.inspect(fs, dir);
        if (lock == null) {
            return new Writer(Writer.State.NOT_WRITING, "no driver holds the folder's lock");
        }
        return new Writer(lock.live() ? Writer.State.WRITING : Writer.State.NOT_WRITING, lock.detail());
    }
}
