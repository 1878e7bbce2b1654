package io.aksheadroom.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The capacity math stays framework-free, so it can be tested, benchmarked and reused without a container. */
@AnalyzeClasses(packages = "io.aksheadroom", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainIsPlainJavaTest {

    @ArchTest
    static final ArchRule domainUsesOnlyTheJdk = classes().that().resideInAPackage("io.aksheadroom.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.aksheadroom.domain..")
            .because("the capacity model is plain Java: no framework, no clock, no I/O");

    @ArchTest
    static final ArchRule domainReadsNoClock = noClasses().that().resideInAPackage("io.aksheadroom.domain..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("time is passed in as Instants so results are reproducible");

    @ArchTest
    static final ArchRule domainKnowsNoAdapter = noClasses().that().resideInAPackage("io.aksheadroom.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aksheadroom.rest..", "io.aksheadroom.json..",
                    "io.aksheadroom.listener..", "io.aksheadroom.config..");
}
