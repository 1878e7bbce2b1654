package io.aksheadroom.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.aksheadroom.actuator.ManagedClusters;
import io.aksheadroom.azure.AzureConnection;
import io.aksheadroom.azuremonitor.AzureMonitorMetrics;
import io.aksheadroom.discovery.AzureResourceManager;

/**
 * Each Azure SDK stays behind one adapter: azure-monitor-query 1.5.x is deprecated upstream in favour of the split
 * azure-monitor-query-metrics, the Resource Manager SDKs change their models with every API version, and moving
 * over should be a one-class change. How the service connects to Azure (identity, trust, HTTP client) is decided
 * in one place for every client.
 */
@AnalyzeClasses(packages = "io.aksheadroom", importOptions = ImportOption.DoNotIncludeTests.class)
class AzureSdkBoundaryTest {

    @ArchTest
    static final ArchRule onlyTheAdapterKnowsTheQuerySdk = noClasses().that()
            .doNotBelongToAnyOf(AzureMonitorMetrics.class)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure.monitor..")
            .because("the query SDK is swapped by changing AzureMonitorMetrics alone");

    @ArchTest
    static final ArchRule onlyTheAdapterKnowsTheResourceManagerSdks = noClasses().that()
            .doNotBelongToAnyOf(AzureResourceManager.class, ManagedClusters.class)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure.resourcemanager..")
            .because("the Resource Manager SDKs are swapped or upgraded by changing AzureResourceManager (reads) and "
                    + "ManagedClusters (the actuator's writes) alone");

    @ArchTest
    static final ArchRule onlyTheConnectionMakesCredentialsAndHttpClients = noClasses().that()
            .doNotBelongToAnyOf(AzureConnection.class)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure.identity..", "com.azure.core.http.vertx..")
            .because("every Azure client acts as one identity and trusts the same certificates");

    @ArchTest
    static final ArchRule theDomainKnowsNoAzureSdk = noClasses().that().resideInAnyPackage("io.aksheadroom.capacity..",
            "io.aksheadroom.monitor..", "io.aksheadroom.azuremonitor.model..")
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..", "com.microsoft..")
            .because("SNAT-7 aggregation is tested without Azure");
}
