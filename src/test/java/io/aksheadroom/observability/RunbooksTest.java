package io.aksheadroom.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * docs/runbooks: a page for every alert the service raises (and any written ahead of its alert), each telling the
 * on-call what the alert means, how to confirm it in Azure, in the cluster and in Prometheus, how to fix it with the
 * trade-offs, and what the service does next.
 */
class RunbooksTest {

    private static final Path RUNBOOKS = Path.of("docs/runbooks");
    /** Alerts with a page before the service raises them, each with the issue that brings it. */
    private static final Set<String> COMING = Set.of();
    private static final List<String> SECTIONS = List.of("## What it means", "## Confirm it", "## Fix it",
            "## What aks-headroom does next");
    /** The alerts the service raises (monitor.AlertRules). */
    private static final Set<String> RAISED = AlertRulesTest.CONTRACT.keySet();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    static Stream<String> alerts() {
        Set<String> alerts = new TreeSet<>(RAISED);
        alerts.addAll(COMING);
        return alerts.stream();
    }

    @Test
    void everyPageIsAnAlertsAndTheIndexListsThemAll() throws IOException {
        Set<String> pages = new TreeSet<>();
        try (Stream<Path> files = Files.list(RUNBOOKS)) {
            files.map(file -> file.getFileName().toString()).filter(name -> !name.equals("README.md"))
                    .forEach(name -> pages.add(name.replaceFirst("\\.md$", "")));
        }
        assertEquals(alerts().collect(java.util.stream.Collectors.toCollection(TreeSet::new)), pages);
        String index = Files.readString(RUNBOOKS.resolve("README.md"));
        alerts().forEach(alert -> assertTrue(index.contains("[" + alert + "](" + alert + ".md)"),
                "the index links " + alert));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void thePageAnswersTheOnCallsFourQuestions(String alert) throws IOException {
        String page = Files.readString(RUNBOOKS.resolve(alert + ".md"));
        assertTrue(page.startsWith("# " + alert + "\n"), alert + ": titled with the alert's name");
        int at = 0;
        for (String section : SECTIONS) {
            int found = page.indexOf("\n" + section + "\n", at);
            assertTrue(found > 0, alert + ": " + section + ", in this order");
            at = found + 1;
        }
        String meaning = section(page, "## What it means");
        assertEquals(1, meaning.strip().split("\n\\s*\n").length, alert + ": what it means, in one paragraph");

        String confirm = section(page, "## Confirm it");
        assertTrue(confirm.contains("```promql\n"), alert + ": the PromQL to confirm it");
        assertTrue(confirm.contains("```sh\n") && confirm.contains("\naz ") , alert + ": the az commands");
        assertTrue(confirm.contains("kubectl "), alert + ": the kubectl commands");

        String fix = section(page, "## Fix it");
        assertTrue(fix.contains("| Trade-offs |"), alert + ": each fix with its trade-offs");
        assertTrue(fix.contains("](https://learn.microsoft.com/"), alert + ": Microsoft's documentation for the fixes");

        String next = section(page, "## What aks-headroom does next");
        assertTrue(next.contains("resolves"), alert + ": when it resolves");
        assertTrue(next.contains("re-send"), alert + ": that it re-sends while firing");

        boolean raised = RAISED.contains(alert);
        assertEquals(!raised, page.contains("> **Coming with issue #"),
                alert + (raised ? ": the service raises it now; the page must not say it is coming"
                        : ": a page for an alert the service does not raise yet says so"));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void theLinksBetweenPagesAndToTheRepositoryResolve(String alert) throws IOException {
        assertLinksResolve(RUNBOOKS.resolve(alert + ".md"));
    }

    @Test
    void theIndexLinksResolve() throws IOException {
        assertLinksResolve(RUNBOOKS.resolve("README.md"));
    }

    private static void assertLinksResolve(Path page) throws IOException {
        Matcher links = LINK.matcher(Files.readString(page));
        List<String> broken = new ArrayList<>();
        while (links.find()) {
            String target = links.group(1);
            if (!target.startsWith("http") && !Files.exists(page.getParent().resolve(target))) {
                broken.add(target);
            }
        }
        assertEquals(List.of(), broken, page + ": relative links to files that do not exist");
    }

    /** The text of a section, up to the next one. */
    private static String section(String page, String heading) {
        int start = page.indexOf("\n" + heading + "\n") + heading.length() + 2;
        int end = page.indexOf("\n## ", start);
        return page.substring(start, end < 0 ? page.length() : end);
    }
}
