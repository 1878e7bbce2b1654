package io.aksheadroom.azure;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.IntConsumer;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;

import reactor.core.publisher.Mono;

/**
 * How every Azure client of the service retries, and reads Azure's Retry-After: the rules are the same for Azure
 * Monitor and Azure Resource Manager, only the numbers are each client's own.
 */
public final class AzureRetry {

    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");

    private AzureRetry() {
    }

    /**
     * Retries 408, 429, 5xx (but 501 and 505) and connection errors with exponential backoff, waiting as long as
     * Retry-After says when Azure says it (azure-core's retry policy reads the header). A Retry-After longer than
     * {@code maxRetryAfter} is not waited for inside the call: the call fails as throttled, and its caller leaves
     * those resources alone until then. Timeouts are not retried: the caller's next round asks again.
     *
     * @param retryDelay the first retry's delay when Azure sends no Retry-After; it doubles per retry
     * @param maxRetryDelay the longest delay between two retries when Azure sends no Retry-After
     */
    public static RetryOptions retryOptions(int maxRetries, Duration retryDelay, Duration maxRetryDelay,
            Duration maxRetryAfter) {
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions().setMaxRetries(maxRetries)
                .setBaseDelay(retryDelay).setMaxDelay(maxRetryDelay);
        return new RetryOptions(backoff).setShouldRetryCondition(condition -> shouldRetry(condition, maxRetryAfter));
    }

    public static boolean shouldRetry(RequestRetryCondition condition, Duration maxRetryAfter) {
        HttpResponse response = condition.getResponse();
        if (response != null) {
            int status = response.getStatusCode();
            boolean transientStatus = status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
            Duration retryAfter = retryAfter(response.getHeaders());
            return transientStatus && (retryAfter == null || retryAfter.compareTo(maxRetryAfter) <= 0);
        }
        return !CallOutcome.isTimeout(condition.getThrowable())
                && CallOutcome.causes(condition.getThrowable()).anyMatch(java.io.IOException.class::isInstance);
    }

    /** Retry-After as Azure sends it: {@code retry-after-ms}, {@code x-ms-retry-after-ms}, or seconds or a date. */
    public static Duration retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return null;
        }
        for (HttpHeaderName name : new HttpHeaderName[] {RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS}) {
            String millis = headers.getValue(name);
            if (millis != null) {
                try {
                    return Duration.ofMillis(Long.parseLong(millis.trim()));
                } catch (NumberFormatException e) {
                    // fall through to the next header
                }
            }
        }
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(OffsetDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Counts every HTTP attempt by status, so throttling that a retry hid still shows (0 = no answer). */
    public static HttpPipelinePolicy attemptCounter(IntConsumer statusCounter) {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                return next.process().doOnNext(response -> statusCounter.accept(response.getStatusCode()))
                        .doOnError(error -> statusCounter.accept(0));
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                try {
                    HttpResponse response = next.processSync();
                    statusCounter.accept(response.getStatusCode());
                    return response;
                } catch (RuntimeException e) {
                    statusCounter.accept(0);
                    throw e;
                }
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_RETRY;
            }
        };
    }
}
