package io.aksheadroom.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown leads somewhere: the file or folder exists inside the repository,
 * and an anchor names a heading of the target as GitHub renders it. Pages move as the docs grow; a dead link is
 * what a reader finds first.
 */
class MarkdownLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** Build output and local state: not the repository's documentation (hidden folders are skipped too). */
    private static final Set<Path> SKIPPED_FOLDERS = Set.of(Path.of("target"), Path.of("bench/work"));
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    /** Inline links and images, {@code [text](target "title")}; the text may hold code spans, not brackets. */
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<Path> pages = markdownFiles();
        assertTrue(pages.contains(ROOT.resolve("README.md")), "run from the repository root: " + ROOT);

        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(page)) {
                checked++;
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(page) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(checked > 0, "no links found: the pattern no longer matches Markdown");
        assertEquals(List.of(), broken, "dead links in the documentation");
    }

    @Test
    void theReadmeStaysShortEnoughToReadInFiveMinutes() throws IOException {
        long size = Files.size(ROOT.resolve("README.md"));
        assertTrue(size < 8 * 1024, "README.md has " + size + " bytes: move detail to docs/ and link it");
    }

    @Test
    void anchorsFollowGitHubsHeadingIds() {
        assertEquals("plan-api-post-apiv1plan", anchor("Plan API: `POST /api/v1/plan`"));
        assertEquals("role-monitoring-reader-nothing-else", anchor("Role: Monitoring Reader, nothing else"));
        assertEquals("profiles-and-fixes-issue-7-2026-11-26", anchor("Profiles and fixes (issue #7, 2026-11-26)"));
        assertEquals("3-give-the-pods-an-identity", anchor("3. Give the pods an identity"));
        assertEquals("see-the-docs", anchor("See [the docs](docs/x.md)"));
        assertEquals("a--b", anchor("a → b"));
    }

    private String problem(Path page, String target) {
        if (SCHEME.matcher(target).find()) {
            return null;
        }
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty() ? page
                : (pathPart.startsWith("/") ? ROOT.resolve(pathPart.substring(1)) : page.getParent().resolve(pathPart))
                        .normalize();
        if (!resolved.startsWith(ROOT)) {
            return "leads out of the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file or folder: " + ROOT.relativize(resolved);
        }
        if (fragment == null || fragment.isEmpty() || !resolved.toString().endsWith(".md")) {
            return null;
        }
        Set<String> anchors = anchorsByFile.computeIfAbsent(resolved, MarkdownLinksTest::anchors);
        return anchors.contains(fragment) ? null : "no heading with the anchor #" + fragment + " in "
                + ROOT.relativize(resolved);
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.toString().endsWith(".md") && documentation(ROOT.relativize(path)))
                    .sorted().toList();
        }
    }

    private static boolean documentation(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (relative.getName(i).toString().startsWith(".") || SKIPPED_FOLDERS.contains(relative.subpath(0, i + 1))
                    || relative.getName(i).toString().equals("node_modules")) {
                return false;
            }
        }
        return true;
    }

    /** Link targets outside code blocks and code spans, in order. */
    private static List<String> links(Path page) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            String text = CODE_SPAN.matcher(line).replaceAll("code");
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                targets.add(inline.group(1));
            }
            Matcher definition = REFERENCE_DEFINITION.matcher(text);
            if (definition.matches()) {
                targets.add(definition.group(1));
            }
        }
        return targets;
    }

    /** The ids GitHub gives the page's headings (a repeated one gets -1, -2, ...), and explicit HTML anchors. */
    private static Set<String> anchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String id = anchor(heading.group(1));
                int times = seen.merge(id, 1, Integer::sum);
                anchors.add(times == 1 ? id : id + "-" + (times - 1));
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
        }
        return anchors;
    }

    /** GitHub's id of a heading: its rendered text in lower case, without punctuation, spaces as hyphens. */
    static String anchor(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "").replace("**", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }

    /** The page's lines outside fenced code blocks. */
    private static List<String> prose(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> prose = new ArrayList<>();
        String fence = null;
        for (String line : lines) {
            Matcher opening = FENCE.matcher(line);
            if (fence == null && opening.find()) {
                fence = opening.group(1);
            } else if (fence != null && line.strip().startsWith(fence)) {
                fence = null;
            } else if (fence == null) {
                prose.add(line);
            }
        }
        return prose;
    }
}
