package io.aksheadroom.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.aksheadroom.config.CoreProducers;
import io.aksheadroom.rest.Problem;

/**
 * The package map of docs/development.md, kept true: a pure capacity engine at the centre, the live monitor around it, and
 * Kafka, HTTP and Azure at the edges. A rule broken here is a design change to discuss, not a test to adjust.
 */
@AnalyzeClasses(packages = "io.aksheadroom", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {

    private static final String ROOT = "io.aksheadroom.";

    @ArchTest
    static final ArchRule capacityIsPlainJava = classes().that().resideInAPackage(ROOT + "capacity..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + "capacity..")
            .because("the capacity engine is plain Java: no framework, no clock, no I/O, no other package of ours");

    @ArchTest
    static final ArchRule monitorBuildsOnlyOnCapacity = classes().that().resideInAPackage(ROOT + "monitor..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + "capacity..", ROOT + "monitor..")
            .because("the live monitor is plain Java in event time; Kafka's replay protocol lives in pipeline");

    @ArchTest
    static final ArchRule azureMonitorModelIsPlainJava = classes().that()
            .resideInAPackage(ROOT + "azuremonitor.model..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + "capacity..", ROOT + "monitor..",
                    ROOT + "azuremonitor.model..")
            .because("SNAT-7 aggregation is tested without Azure or Kafka");

    @ArchTest
    static final ArchRule actuatorDecisionsArePlainJava = classes().that().resideInAPackage(ROOT + "actuator.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", ROOT + "capacity..",
                    ROOT + "actuator.core..")
            .because("what may be written to a production cluster is decided by plain Java, tested without Azure");

    @ArchTest
    static final ArchRule onlyTheKafkaAdaptersKnowKafka = noClasses().that()
            .resideOutsideOfPackages(ROOT + "pipeline..", ROOT + "dev..", ROOT + "azuremonitor..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..")
            .because("Kafka is an adapter: pipeline consumes and publishes, dev runs a broker on a laptop, and the "
                    + "poller reads back what it published");

    @ArchTest
    static final ArchRule nothingImportsThePipeline = noClasses().that().resideOutsideOfPackage(ROOT + "pipeline..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + "pipeline..")
            .because("the pipeline is an edge: it calls the monitor, nothing calls it");

    @ArchTest
    static final ArchRule nothingImportsDev = noClasses().that().resideOutsideOfPackage(ROOT + "dev..")
            .should().dependOnClassesThat().resideInAPackage(ROOT + "dev..")
            .because("the embedded broker and the demo feed are for laptops and can be left out of a production build");

    @ArchTest
    static final ArchRule theGateNeedsNoService = classes().that().resideInAPackage(ROOT + "gate..")
            .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("java..",
                    "com.fasterxml.jackson..", ROOT + "capacity..", ROOT + "json..", ROOT + "gate..")
                    .or(JavaClass.Predicates.equivalentTo(Problem.class)))
            .because("java -jar ... check runs before Quarkus boots: no CDI, Vert.x or Kafka, so no broker and no port");

    @ArchTest
    static final ArchRule theClockIsInjected = noClasses().that().doNotBelongToAnyOf(CoreProducers.class)
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("time comes from the one Clock bean, so tests can pin it and the core gets Instants");
}
