package org.overparam.trainer.linalg;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The BLAS and LAPACK every trainer in this JVM uses, chosen once: the OpenBLAS bundled from Maven
 * ({@link BundledOpenBlas}) when it loads, else pure Java (netlib's {@code VectorBLAS} or {@code F2jBLAS} and
 * the f2j LAPACK), said once in the log and named by {@link #name()} in every trial row's {@code blas} column.
 *
 * <p>Native BLAS calls go through netlib's JNI binding ({@code JNIBLAS}), pointed at the bundled library: it
 * hands the native code the Java arrays themselves (no copy; level-3 products do not depend on the operands'
 * alignment, tested by {@code RowMajorBlasAlignmentTest}). LAPACK calls go through {@link NativeLapack}
 * (aligned off-heap copies, which make them reproducible). netlib binds its JNI once per JVM; if something
 * bound it before this class did, the library it reached is unknown, so the Java BLAS is used instead.
 */
public final class LinearAlgebra {
    private static final System.Logger LOG = System.getLogger(LinearAlgebra.class.getName());
    private static final String NETLIB_BLAS_PATH = "dev.ludovic.netlib.blas.nativeLibPath";

    private final RowMajorBlas blas;
    private final Lapack lapack;
    private final String name;
    private final boolean nativeLibrary;

    private LinearAlgebra(RowMajorBlas blas, Lapack lapack, String name, boolean nativeLibrary) {
        this.blas = blas;
        this.lapack = lapack;
        this.name = name;
        this.nativeLibrary = nativeLibrary;
    }

    /** The process-wide choice (made on first use, under the class-initialization lock). */
    public static LinearAlgebra get() {
        return Holder.CHOSEN;
    }

    /** Pure Java BLAS and LAPACK, whatever the machine has: the fallback, and a reference for tests. */
    public static LinearAlgebra java() {
        BLAS java = dev.ludovic.netlib.blas.JavaBLAS.getInstance();
        String name = java.getClass().getSimpleName() + " (java)";
        return new LinearAlgebra(new RowMajorBlas(java, name), new JavaLapack(), name, false);
    }

    /** The matrix products. */
    public RowMajorBlas blas() {
        return blas;
    }

    /** Eigenvalues and least squares. */
    public Lapack lapack() {
        return lapack;
    }

    /** What the {@code blas} column says: e.g. {@code OpenBLAS 0.3.31 (bundled)} or {@code VectorBLAS (java)}. */
    public String name() {
        return name;
    }

    /** Whether the bundled native library is in use. */
    public boolean isNative() {
        return nativeLibrary;
    }

    private static final class Holder {
        static final LinearAlgebra CHOSEN = choose();

        private static LinearAlgebra choose() {
            Optional<BundledOpenBlas> bundled = BundledOpenBlas.get();
            if (bundled.isEmpty()) {
                LinearAlgebra java = java();
                LOG.log(System.Logger.Level.WARNING, "overparam: the bundled OpenBLAS does not load on this machine ("
                        + BundledOpenBlas.failure().orElse("?") + "); using pure Java: " + java.name());
                return java;
            }
            BundledOpenBlas library = bundled.get();
            Optional<String> refusal = bindNetlib(library.library());
            if (refusal.isPresent()) {
                LinearAlgebra java = java();
                LOG.log(System.Logger.Level.WARNING, "overparam: " + refusal.get() + "; using pure Java: " + java.name());
                return java;
            }
            String name = "OpenBLAS " + library.version() + " (bundled)";
            BLAS blas = dev.ludovic.netlib.blas.NativeBLAS.getInstance();
            List<String> others = otherBlasLibraries(library.library());
            LOG.log(System.Logger.Level.INFO, "overparam: BLAS and LAPACK: " + name + ", 1 thread, " + library.library()
                    + (others.isEmpty() ? "" : "; also mapped in this process (not called by overparam): " + others));
            return new LinearAlgebra(new RowMajorBlas(blas, name), new NativeLapack(library), name, true);
        }

        /** Points netlib's JNI BLAS at {@code library}; a reason when that cannot be done. */
        private static Optional<String> bindNetlib(Path library) {
            if (mappedFiles().stream().anyMatch(p -> p.contains("netlibblasjni"))) {
                return Optional.of("netlib's native BLAS was bound before overparam chose its BLAS (to a library "
                        + "overparam cannot name)");
            }
            String requested = System.getProperty(NETLIB_BLAS_PATH);
            if (requested != null && !Path.of(requested).toAbsolutePath().equals(library.toAbsolutePath())) {
                return Optional.of("-D" + NETLIB_BLAS_PATH + "=" + requested + " names another BLAS than the bundled one");
            }
            System.setProperty(NETLIB_BLAS_PATH, library.toString());
            try {
                dev.ludovic.netlib.blas.NativeBLAS.getInstance();
                return Optional.empty();
            } catch (RuntimeException | LinkageError e) {
                return Optional.of("netlib's JNI BLAS did not bind to " + library + " (" + e + ")");
            }
        }

        /** BLAS-like shared objects this process has mapped other than {@code ours} (Linux; empty elsewhere). */
        private static List<String> otherBlasLibraries(Path ours) {
            String real;
            try {
                real = ours.toRealPath().toString();
            } catch (IOException e) {
                real = ours.toString();
            }
            String self = real;
            return mappedFiles().stream()
                    .filter(p -> p.matches(".*/lib(open)?blas[^/]*\\.so.*|.*/liblapack[^/]*\\.so.*|.*/libmkl[^/]*\\.so.*"))
                    .filter(p -> !p.equals(self) && !p.equals(ours.toString()))
                    .toList();
        }

        private static List<String> mappedFiles() {
            Path maps = Path.of("/proc/self/maps");
            if (!Files.isReadable(maps)) {
                return List.of();
            }
            TreeSet<String> files = new TreeSet<>();
            try (Stream<String> lines = Files.lines(maps)) {
                lines.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(p -> p.startsWith("/")).forEach(files::add);
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
            return List.copyOf(files);
        }
    }
}
