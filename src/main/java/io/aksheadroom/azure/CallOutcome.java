package io.aksheadroom.azure;

import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.azure.core.exception.ClientAuthenticationException;

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
        // A 2xx here is an answer the SDK could not read (HTML from a proxy, the wrong shape): no fault of the client.
        return status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : ERROR;
    }

    /**
     * How a call that got no HTTP answer it could use ended: timed out, refused a token (the token endpoint down or
     * refusing, which MSAL reports with its own exceptions under azure-identity's), or anything else.
     */
    public static CallOutcome ofError(Throwable error) {
        if (isTimeout(error)) {
            return TIMEOUT;
        }
        boolean noToken = causes(error).anyMatch(t -> t instanceof ClientAuthenticationException
                || t.getClass().getName().startsWith("com.microsoft.aad.msal4j."));
        return noToken ? AUTH_ERROR : ERROR;
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
