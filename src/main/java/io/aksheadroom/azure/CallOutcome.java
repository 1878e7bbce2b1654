package io.aksheadroom.azure;

import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * How one call to Azure ended: the {@code outcome} tag of {@code aks_headroom_azure_monitor_calls_total} and
 * {@code aks_headroom_discovery_calls_total}.
 */
public enum CallOutcome {
    SUCCESS, THROTTLED, SERVER_ERROR, CLIENT_ERROR, AUTH_ERROR, TIMEOUT, ERROR;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallOutcome ofStatus(int status) {
        if (status == 429) {
            return THROTTLED;
        }
        if (status == 401 || status == 403) {
            return AUTH_ERROR;
        }
        if (status == 408) {
            return TIMEOUT;
        }
        return status >= 500 ? SERVER_ERROR : CLIENT_ERROR;
    }

    /** Vert.x reports its response timeout as a {@code NoStackTraceTimeoutException}, not a JDK TimeoutException. */
    public static boolean isTimeout(Throwable error) {
        return causes(error).anyMatch(t -> t instanceof TimeoutException
                || t.getClass().getSimpleName().contains("TimeoutException"));
    }

    public static Stream<Throwable> causes(Throwable error) {
        return Stream.iterate(error, t -> t != null, Throwable::getCause).limit(20);
    }
}
