package org.overparam.sweep.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code DIR/manifest.json}: what an output folder holds, so that {@code --resume} can refuse an
 * output written by a different config. Written once, before the first batch.
 *
 * @param fingerprint hash of the sorted ids of every trial of the sweep
 */
public record SweepManifest(String sweep, String fingerprint, int trials, String codeVersion) {
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static SweepManifest read(FileSystem fs, Path dir) throws IOException {
        try (InputStream in = fs.open(new Path(dir, FILE))) {
            return JSON.readValue(in, SweepManifest.class);
        }
    }

    public static boolean exists(FileSystem fs, Path dir) throws IOException {
        return fs.exists(new Path(dir, FILE));
    }

    /** Writes the manifest and the config text beside it (as {@code sweep.yaml}). */
    public void write(FileSystem fs, Path dir, String configText) throws IOException {
        fs.setWriteChecksum(false);
        fs.mkdirs(dir);
        try (OutputStream out = fs.create(new Path(dir, "sweep.yaml"), true)) {
            out.write(configText.getBytes(StandardCharsets.UTF_8));
        }
        Path tmp = new Path(dir, "_" + FILE + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            JSON.writeValue(out, this);
        }
        Path target = new Path(dir, FILE);
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot write " + target);
        }
    }
}
