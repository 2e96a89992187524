package org.overparam.trainer.nets;

/**
 * Where the JDK's vector module is in the boot layer (our launcher and tests add it), the SIMD twin of a scalar
 * implementation, loaded by name so that a JVM without the module never links it; otherwise the scalar one. Used
 * once per kind by {@link ReluRows}, {@link GeluKernel} and {@link BatchNormRows}, whose twins give the same bits.
 */
final class VectorModule {
    private VectorModule() {
    }

    /** The {@code INSTANCE} of {@code vectorClass} (in this package) where the module is present, else {@code scalar}. */
    static <T> T orScalar(String vectorClass, Class<T> type, T scalar) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return scalar;
        }
        try {
            return type.cast(Class.forName("org.overparam.trainer.nets." + vectorClass).getDeclaredField("INSTANCE").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return scalar;
        }
    }
}
