package io.aksheadroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;

/** The records of the {@code aks.alerts} topic. */
@ConfigMapping(prefix = "aks-headroom.alerts")
public interface AlertsConfig {

    /**
     * The runbooks as this repository publishes them (docs/runbooks). The Prometheus rules of prometheus/ and
     * k8s/base/ link the same pages under the same base, and a test keeps them equal to this default: serving the
     * runbooks elsewhere means setting the property and rewriting those links (docs/runbooks/README.md says how).
     */
    String DEFAULT_RUNBOOK_BASE_URL = "https://github.com/aksheadroom/aks-headroom/blob/main/docs/runbooks";

    /** Every alert record's {@code runbook_url} is this base, a slash and its alert's page ({@code <alertname>.md}). */
    @WithDefault(DEFAULT_RUNBOOK_BASE_URL)
    URI runbookBaseUrl();
}
