package io.aksheadroom.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.aksheadroom.azuremonitor.AzureMonitorMetrics;

/**
 * The Azure Monitor query SDK stays behind one adapter: azure-monitor-query 1.5.x is deprecated upstream in favour
 * of the split azure-monitor-query-metrics, and moving over should be a one-class change.
 */
@AnalyzeClasses(packages = "io.aksheadroom", importOptions = ImportOption.DoNotIncludeTests.class)
class AzureSdkBoundaryTest {

    @ArchTest
    static final ArchRule onlyTheAdapterKnowsTheQuerySdk = noClasses().that()
            .doNotBelongToAnyOf(AzureMonitorMetrics.class)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure.monitor..")
            .because("the query SDK is swapped by changing AzureMonitorMetrics alone");

    @ArchTest
    static final ArchRule theDomainKnowsNoAzureSdk = noClasses().that().resideInAnyPackage("io.aksheadroom.capacity..", "io.aksheadroom.monitor..",
            "io.aksheadroom.azuremonitor.model..")
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.microsoft..")
            .because("SNAT-7 aggregation is tested without Azure");
}
