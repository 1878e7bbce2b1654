package io.aksheadroom.azuremonitor;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Context;
import com.azure.monitor.query.MetricsClient;
import com.azure.monitor.query.MetricsClientBuilder;
import com.azure.monitor.query.models.AggregationType;
import com.azure.monitor.query.models.MetricResult;
import com.azure.monitor.query.models.MetricValue;
import com.azure.monitor.query.models.MetricsAudience;
import com.azure.monitor.query.models.MetricsQueryResourcesOptions;
import com.azure.monitor.query.models.MetricsQueryResourcesResult;
import com.azure.monitor.query.models.MetricsQueryResult;
import com.azure.monitor.query.models.QueryTimeInterval;
import com.azure.monitor.query.models.TimeSeriesElement;

import io.aksheadroom.azure.AzureConnection;
import io.aksheadroom.azure.AzureRetry;
import io.aksheadroom.azure.CallOutcome;
import io.aksheadroom.azuremonitor.model.AzureResourceId;
import io.aksheadroom.azuremonitor.model.MetricPoint;
import io.aksheadroom.azuremonitor.model.MetricSeries;
import io.aksheadroom.azuremonitor.model.MinuteWindow;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one class that knows the Azure Monitor query SDK ({@code azure-monitor-query} 1.5.x, {@code MetricsClient}
 * batch {@code queryResources}): a query goes in, plain {@link MetricSeries} come out, and failures come out as an
 * {@link AzureMonitorException} with an outcome. Moving to the split {@code azure-monitor-query-metrics} artifact
 * changes this class only.
 */
@ApplicationScoped
public class AzureMonitorMetrics {

    /** The aggregation a query asks for; each query asks for one, so a point's value is unambiguous. */
    public enum Aggregation {
        AVERAGE, TOTAL
    }

    /**
     * One batch call: up to 50 resources of one subscription, region and namespace.
     *
     * @param filter the $filter that splits the series by dimension, or null for no split
     * @param top the most series per resource, or null for Azure's default
     */
    public record Query(String region, String namespace, List<String> resourceIds, List<String> metrics,
            Aggregation aggregation, String filter, Integer top, MinuteWindow window) {
    }

    /** Something in an answer that could not be used: why, which resource (as Azure named it), and Azure's words. */
    public record Problem(String reason, String resourceId, String detail) {
    }

    /**
     * @param series per resource, with the resource id as configured (Azure echoes ids in its own case)
     * @param problems metrics that reported an error, resources without an answer
     */
    public record Answer(List<MetricSeries> series, List<Problem> problems) {
    }

    private static final String METRIC_ID_SUFFIX = "/providers/microsoft.insights/metrics/";

    private final HttpClient httpClient;
    private final TokenCredential credential;
    private final RetryOptions retryOptions;
    private final HttpPipelinePolicy attemptCounter;
    private final String endpointTemplate;
    private final MetricsAudience audience;
    private final Map<String, MetricsClient> clients = new ConcurrentHashMap<>();

    AzureMonitorMetrics(AzureConnection azure, AzureMonitorConfig config, MeterRegistry registry) {
        this.httpClient = azure.httpClient(config.calls().callTimeout());
        this.credential = azure.credential();
        this.retryOptions = AzureRetry.retryOptions(config.calls().maxRetries(), config.calls().retryDelay(), config.calls().maxRetryDelay(),
                config.maxRetryAfter());
        this.attemptCounter = AzureRetry.attemptCounter(status -> registry
                .counter("aks_headroom_azure_monitor_requests", "status", status == 0 ? "none" : Integer.toString(status))
                .increment());
        this.endpointTemplate = config.endpoint();
        this.audience = MetricsAudience.fromString(config.audience());
    }

    /**
     * Asks Azure Monitor; the SDK retries transient failures as {@link AzureRetry#retryOptions} says.
     *
     * @throws AzureMonitorException when there is no answer after the retries
     */
    public Answer query(Query query) {
        MetricsClient client = clients.computeIfAbsent(endpointTemplate.replace("{region}", query.region()),
                this::client);
        MetricsQueryResourcesOptions options = new MetricsQueryResourcesOptions()
                .setGranularity(Duration.ofMinutes(1))
                .setAggregations(List.of(query.aggregation() == Aggregation.AVERAGE ? AggregationType.AVERAGE
                        : AggregationType.TOTAL))
                .setTimeInterval(new QueryTimeInterval(query.window().from().atOffset(ZoneOffset.UTC),
                        query.window().to().atOffset(ZoneOffset.UTC)))
                .setFilter(query.filter()).setTop(query.top());
        MetricsQueryResourcesResult result;
        try {
            result = client.queryResourcesWithResponse(query.resourceIds(), query.metrics(), query.namespace(), options,
                    Context.NONE).getValue();
        } catch (ClientAuthenticationException e) {
            throw new AzureMonitorException(CallOutcome.AUTH_ERROR, null, e.getMessage(), e);
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            throw new AzureMonitorException(CallOutcome.ofStatus(status),
                    e.getResponse() == null ? null : AzureRetry.retryAfter(e.getResponse().getHeaders()),
                    "HTTP " + status + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            // The SDK's own parsing fails on some malformed answers (a series without "data" or "metadatavalues").
            CallOutcome outcome = CallOutcome.ofError(e);
            throw new AzureMonitorException(outcome, null, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()),
                    e);
        }
        return answer(query, result);
    }

    private MetricsClient client(String endpoint) {
        return new MetricsClientBuilder().endpoint(endpoint).audience(audience).credential(credential)
                .httpClient(httpClient).retryOptions(retryOptions).addPolicy(attemptCounter).buildClient();
    }

    private static Answer answer(Query query, MetricsQueryResourcesResult result) {
        Map<String, String> configured = new HashMap<>();
        query.resourceIds().forEach(id -> configured.put(AzureResourceId.key(id), id));
        Set<String> answered = new LinkedHashSet<>();
        List<MetricSeries> series = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (MetricsQueryResult resource : result.getMetricsQueryResults()) {
            for (MetricResult metric : resource.getMetrics()) {
                String answeredId = resourceIdOf(resource, metric);
                String id = configured.get(AzureResourceId.key(answeredId));
                if (id == null) {
                    problems.add(new Problem("unknown_resource", answeredId, metric.getId()));
                    continue;
                }
                answered.add(AzureResourceId.key(id));
                String code = metric.getError() == null ? null : metric.getError().getCode();
                if (code != null && !code.isBlank() && !"Success".equalsIgnoreCase(code)) {
                    problems.add(new Problem("metric_error", id,
                            metric.getMetricName() + ": " + code + " " + metric.getError().getMessage()));
                    continue;
                }
                for (TimeSeriesElement element : metric.getTimeSeries()) {
                    List<MetricPoint> points = new ArrayList<>();
                    for (MetricValue value : element.getValues()) {
                        if (value.getTimeStamp() != null) {
                            points.add(new MetricPoint(value.getTimeStamp().toInstant(),
                                    query.aggregation() == Aggregation.AVERAGE ? value.getAverage() : value.getTotal()));
                        }
                    }
                    series.add(new MetricSeries(id, metric.getMetricName(), element.getMetadata(), points));
                }
            }
        }
        for (String id : query.resourceIds()) {
            if (!answered.contains(AzureResourceId.key(id))) {
                problems.add(new Problem("resource_missing", id, "no answer for it"));
            }
        }
        return new Answer(series, problems);
    }

    /**
     * azure-monitor-query 1.5.2 leaves {@code MetricsQueryResult.getResourceId()} null for batch answers although
     * Azure sends {@code resourceid}; the metric's id ({@code <resource>/providers/Microsoft.Insights/metrics/<name>})
     * names the resource as well.
     */
    private static String resourceIdOf(MetricsQueryResult resource, MetricResult metric) {
        if (resource.getResourceId() != null) {
            return resource.getResourceId();
        }
        String id = metric.getId() == null ? "" : metric.getId();
        int end = id.toLowerCase(Locale.ROOT).lastIndexOf(METRIC_ID_SUFFIX);
        return end < 0 ? id : id.substring(0, end);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
