package io.aksheadroom.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.json.DomainJsonModule;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.support.PlanVectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The answer docs/plan-api.md shows for the vector {@code projected-exhaustion} is the answer the service gives: every
 * field it shows has the service's value. The page shortens: it leaves fields and findings out, and "..." in a text
 * stands for what it cut. A capacity-model change that moves a figure fails here until the page says so too.
 */
class PlanAnswerDocTest {

    private static final Path PAGE = Path.of("docs/plan-api.md");
    private static final String CUT = "...";
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new DomainJsonModule());

    @Test
    void theShownAnswerIsTheServicesAnswer() throws Exception {
        String page = Files.readString(PAGE);
        int section = page.indexOf("## The answer");
        int start = page.indexOf("```json\n", section) + "```json\n".length();
        int end = page.indexOf("```", start);
        assertTrue(section >= 0 && start > section && end > start, "a json block under '## The answer' in " + PAGE);
        JsonNode shown = MAPPER.readTree(page.substring(start, end));

        JsonNode vector = PlanVectors.named("projected-exhaustion");
        JsonNode answer = MAPPER.valueToTree(new CapacityPlanner().plan(ProfileJson.parse(vector.get("profile"))));
        matches(shown, answer, "");
    }

    /** {@code shown} is {@code actual} shortened: fields and array items left out, texts cut at "...". */
    private static void matches(JsonNode shown, JsonNode actual, String path) {
        if (shown.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = shown.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                matches(field.getValue(), actual.path(field.getKey()), path + "." + field.getKey());
            }
        } else if (shown.isArray()) {
            // Items shown keep their order; items between them may be left out.
            int next = 0;
            for (int i = 0; i < shown.size(); i++) {
                int found = -1;
                for (int j = next; j < actual.size() && found < 0; j++) {
                    if (fits(shown.get(i), actual.get(j))) {
                        found = j;
                    }
                }
                if (found < 0) {
                    fail(path + "[" + i + "] " + shown.get(i) + " is not in " + actual);
                }
                next = found + 1;
            }
        } else if (shown.isTextual() && shown.asText().contains(CUT)) {
            assertTrue(cutFrom(shown.asText(), actual.asText()), path + ": '" + shown.asText() + "' is not cut from '"
                    + actual.asText() + "'");
        } else if (shown.isNull()) {
            assertTrue(actual.isNull() || actual.isMissingNode(), path + " is " + actual);
        } else if (shown.isNumber()) {
            // The page's 65531 is an int, the answer's a long: the same number.
            assertTrue(actual.isNumber() && shown.decimalValue().compareTo(actual.decimalValue()) == 0,
                    path + ": " + shown + " vs " + actual);
        } else {
            assertEquals(shown, actual, path);
        }
    }

    private static boolean fits(JsonNode shown, JsonNode actual) {
        try {
            matches(shown, actual, "");
            return true;
        } catch (AssertionError mismatch) {
            return false;
        }
    }

    /** Whether {@code actual} is {@code shown} with text where each "..." stands. */
    private static boolean cutFrom(String shown, String actual) {
        String[] pieces = shown.split(java.util.regex.Pattern.quote(CUT), -1);
        if (!actual.startsWith(pieces[0]) || !actual.endsWith(pieces[pieces.length - 1])) {
            return false;
        }
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length - 1; i++) {
            at = actual.indexOf(pieces[i], at);
            if (at < 0) {
                return false;
            }
            at += pieces[i].length();
        }
        return at <= actual.length() - pieces[pieces.length - 1].length();
    }
}
