package io.aksheadroom.json;

import io.aksheadroom.monitor.AlertRules;

import java.net.URI;
import java.util.Locale;

/** Where the on-call reads what an alert means and what to do: one page per alert name under one base URL. */
public final class Runbooks {

    /** The page listing every alert: where a record of a name this version does not raise links to. */
    static final String INDEX = "README.md";

    private final String base;

    /** @throws IllegalArgumentException unless {@code base} is an absolute http or https URL */
    public Runbooks(URI base) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!base.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || base.getHost() == null) {
            throw new IllegalArgumentException("the runbooks' base must be an absolute http(s) URL, not '" + base
                    + "'");
        }
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The page of the alert named {@code alertname}; the index for a name this version does not raise. */
    public String url(String alertname) {
        AlertRules alert = AlertRules.named(alertname);
        return base + "/" + (alert == null ? INDEX : alert.runbook());
    }
}
