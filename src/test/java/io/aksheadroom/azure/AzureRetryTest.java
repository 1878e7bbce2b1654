package io.aksheadroom.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;

/** Retry-After in the three spellings Azure uses; a wrong reading would either hammer Azure or stall a poll or a listing. */
class AzureRetryTest {

    @ParameterizedTest(name = "{0}: {1} -> {2} ms")
    @CsvSource({"Retry-After, 7, 7000", "retry-after-ms, 250, 250", "x-ms-retry-after-ms, 1500, 1500",
        "Retry-After, soon, -1", "X-Other, 5, -1"})
    void readsRetryAfter(String header, String value, long millis) {
        HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.fromString(header), value);
        Duration retryAfter = AzureRetry.retryAfter(headers);
        assertEquals(millis < 0 ? null : Duration.ofMillis(millis), retryAfter);
    }

    @ParameterizedTest
    @CsvSource({"30", "-30"})
    void readsAnHttpDateAsTheTimeUntilThen(long seconds) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(seconds));
        Duration retryAfter = AzureRetry.retryAfter(new HttpHeaders().set(HttpHeaderName.RETRY_AFTER, date));
        assertTrue(retryAfter.compareTo(Duration.ofSeconds(Math.max(0, seconds))) <= 0, retryAfter::toString);
        assertTrue(retryAfter.compareTo(Duration.ofSeconds(Math.max(0, seconds - 5))) >= 0, retryAfter::toString);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"429, THROTTLED", "401, AUTH_ERROR", "403, AUTH_ERROR", "408, TIMEOUT", "400, CLIENT_ERROR",
        "404, CLIENT_ERROR", "500, SERVER_ERROR", "503, SERVER_ERROR", "200, ERROR"})
    void statusesBecomeOutcomes(int status, CallOutcome outcome) {
        assertEquals(outcome, CallOutcome.ofStatus(status));
    }

    /** MSAL reports a token endpoint that is down with its own exceptions, under whatever azure-core wraps them in. */
    @Test
    void errorsWithoutAnAnswerBecomeOutcomes() {
        assertEquals(CallOutcome.AUTH_ERROR, CallOutcome.ofError(new IllegalStateException(
                new com.microsoft.aad.msal4j.MsalClientException("java.net.SocketException: Connection reset",
                        "unknown"))));
        assertEquals(CallOutcome.AUTH_ERROR, CallOutcome.ofError(
                new com.azure.core.exception.ClientAuthenticationException("AADSTS7000215", null)));
        assertEquals(CallOutcome.TIMEOUT, CallOutcome.ofError(new RuntimeException(
                new java.util.concurrent.TimeoutException("no answer within 30s"))));
        assertEquals(CallOutcome.ERROR, CallOutcome.ofError(new IllegalStateException("Deserialization Failed")));
    }
}
