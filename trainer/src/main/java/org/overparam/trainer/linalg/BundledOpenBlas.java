package org.overparam.trainer.linalg;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The OpenBLAS (BLAS and LAPACK) that comes with the trainer from Maven ({@code org.bytedeco:openblas}, natives
 * inside the jar, current CPU detection), loaded once per JVM by JavaCPP, with its thread count set to 1
 * through the library's own API.
 *
 * <p>Why one thread: a Spark task already has a core to itself, and OpenBLAS's threaded level-2 kernels sum
 * partial results in an order that depends on the thread count (the last bits of LAPACK's eigenvalues with
 * them).
 *
 * <p>Why one instance, checked: JavaCPP's preset serves its BLAS-only classes from a file it names
 * {@code libopenblas_nolapack.so.0}, which it extracts as a second copy of {@code libopenblas.so.0}; the
 * dynamic linker then loads the same library twice, with two thread settings (the API call reached one of
 * them). Made a symbolic link to {@code libopenblas.so.0} before loading, it is the same file, and the linker
 * keeps one instance. Loading then checks that exactly one OpenBLAS file is mapped in this process and that
 * its thread count is 1; otherwise the bundled library counts as not loadable and the trainer runs pure Java.
 *
 * <p>Loading happens at most once, under the JVM's class-initialization lock, whichever thread asks first.
 */
public final class BundledOpenBlas {
    private static final String LIBRARY = "libopenblas.so.0";
    private static final String BLAS_ONLY_ALIAS = "libopenblas_nolapack.so.0";

    private final Path library;
    private final String version;

    private BundledOpenBlas(Path library, String version) {
        this.library = library;
        this.version = version;
    }

    /** The loaded library, or empty with {@link #failure()} saying why (another OS or CPU, no natives jar). */
    public static Optional<BundledOpenBlas> get() {
        return Optional.ofNullable(Holder.LOADED);
    }

    /** Why the bundled library could not be loaded; empty when it was. */
    public static Optional<String> failure() {
        return Optional.ofNullable(Holder.FAILURE);
    }

    /** The shared object every call goes to (JavaCPP's cache of the jar's {@code libopenblas.so.0}). */
    public Path library() {
        return library;
    }

    /** OpenBLAS's version, e.g. {@code 0.3.31}. */
    public String version() {
        return version;
    }

    /**
     * Sets the library's thread count for the rest of this JVM's life. For benchmarks that give every side the
     * same threads; trials rely on 1 (see the class comment).
     */
    public void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        openblas.blas_set_num_threads(threads);
    }

    /** The distinct OpenBLAS files (real paths) this process has mapped (Linux; empty elsewhere). */
    static Set<Path> mappedOpenBlasFiles() {
        Path maps = Path.of("/proc/self/maps");
        Set<Path> files = new TreeSet<>();
        if (!Files.isReadable(maps)) {
            return files;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.startsWith("/") && p.contains("/libopenblas"))
                    .map(Path::of)
                    .forEach(p -> files.add(realPath(p)));
        } catch (IOException | UncheckedIOException e) {
            return files;
        }
        return files;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static final class Holder {
        static final BundledOpenBlas LOADED;
        static final String FAILURE;

        static {
            BundledOpenBlas loaded = null;
            String failure = null;
            try {
                loaded = load();
            } catch (Throwable e) {      // UnsatisfiedLinkError, NoClassDefFoundError, ...: no natives here
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            LOADED = loaded;
            FAILURE = failure;
        }

        private static BundledOpenBlas load() throws Exception {
            String platform = Loader.getPlatform();
            File cached = Loader.cacheResource(openblas.class, platform + "/" + LIBRARY);
            if (cached == null) {
                throw new IllegalStateException("no " + LIBRARY + " for " + platform + " on the class path");
            }
            Path library = cached.toPath();
            linkBlasOnlyAlias(library);
            Loader.load(openblas.class);
            openblas.blas_set_num_threads(1);
            if (openblas.blas_get_vendor() != 2 || openblas.blas_get_num_threads() != 1) {
                throw new IllegalStateException("OpenBLAS did not take a thread count of 1 (vendor "
                        + openblas.blas_get_vendor() + ", threads " + openblas.blas_get_num_threads() + ")");
            }
            Set<Path> mapped = mappedOpenBlasFiles();
            if (!mapped.isEmpty() && !mapped.equals(Set.of(realPath(library)))) {
                throw new IllegalStateException("expected one OpenBLAS in this process (" + library
                        + "), found " + mapped);
            }
            String version = openblas.OPENBLAS_VERSION.replace("OpenBLAS", "").trim();
            return new BundledOpenBlas(library, version);
        }

        /** {@code libopenblas_nolapack.so.0} as a symbolic link to {@code library}, replaced atomically. */
        private static void linkBlasOnlyAlias(Path library) throws IOException {
            Path alias = library.resolveSibling(BLAS_ONLY_ALIAS);
            if (Files.isSymbolicLink(alias) && Files.readSymbolicLink(alias).equals(library.getFileName())) {
                return;
            }
            Path temporary = library.resolveSibling("." + BLAS_ONLY_ALIAS + "." + ProcessHandle.current().pid()
                    + "." + Thread.currentThread().getId());
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, library.getFileName());
            Files.move(temporary, alias, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
