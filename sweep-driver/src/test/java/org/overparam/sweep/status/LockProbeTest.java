package org.overparam.sweep.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.overparam.sweep.run.OutputLock;

/** {@code overparam status}'s writer: WRITING while a driver holds the folder's lock, NOT_WRITING before and after. */
class LockProbeTest {
    @Test
    void readsTheOneWriterLockWithoutTakingIt() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path dir = new Path(Files.createTempDirectory("lockprobe").resolve("out").toUri());
        LockProbe probe = new LockProbe();
        assertEquals(WriterProbe.Writer.State.NOT_WRITING, probe.probe(fs, dir).state());
        try (OutputLock lock = OutputLock.acquire(fs, dir, false, new PrintStream(new ByteArrayOutputStream()))) {
            WriterProbe.Writer w = probe.probe(fs, dir);
            assertEquals(WriterProbe.Writer.State.WRITING, w.state(), w.detail());
            assertTrue(w.detail().contains(Long.toString(ProcessHandle.current().pid())), w.detail());
            // Reading did not take it: the lock still names this driver.
            lock.verify();
        }
        assertEquals(WriterProbe.Writer.State.NOT_WRITING, probe.probe(fs, dir).state());
    }
}
