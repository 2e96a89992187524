package org.overparam.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of both modules, checked on their compiled main classes with ArchUnit: no package imports
 * another that imports it back (directly or around a cycle), the trainer runs without Spark, Hadoop or Scala
 * (the GPU machine has none), and the threshold statistics import neither the searches nor the analysis that
 * use them. A rule broken by a change fails here with the classes and the dependency that break it.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.overparam");
    }

    /** Every package of ours, as a slice: {@code org.overparam.trainer.nets}, {@code org.overparam.sweep.search.adaptive}, … */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("org.overparam.(**)").should().beFreeOfCycles();

    static final ArchRule TRAINER_WITHOUT_SPARK = noClasses().that().resideInAPackage("org.overparam.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..",
                    "org.overparam.sweep..", "org.overparam.cli..");

    static final ArchRule STATISTICS_BELOW_THEIR_USERS = noClasses().that().resideInAPackage("org.overparam.sweep.threshold..")
            .should().dependOnClassesThat().resideInAnyPackage("org.overparam.sweep.search..", "org.overparam.sweep.analysis..",
                    "org.apache.spark..");

    @Test
    void packagesFormNoCycle() {
        NO_PACKAGE_CYCLES.check(classes);
    }

    @Test
    void theTrainerRunsWithoutSparkOrTheDriver() {
        TRAINER_WITHOUT_SPARK.check(classes);
    }

    @Test
    void thresholdStatisticsImportNeitherSearchNorAnalysis() {
        STATISTICS_BELOW_THEIR_USERS.check(classes);
    }
}
