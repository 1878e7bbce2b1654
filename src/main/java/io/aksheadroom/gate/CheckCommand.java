package io.aksheadroom.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.aksheadroom.capacity.CapacityPlanner;
import io.aksheadroom.capacity.ClusterProfile;
import io.aksheadroom.capacity.InvalidInputException;
import io.aksheadroom.capacity.Plan;
import io.aksheadroom.capacity.PlanSettings;
import io.aksheadroom.capacity.Severity;
import io.aksheadroom.json.DomainJsonModule;
import io.aksheadroom.json.ProfileJson;
import io.aksheadroom.rest.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code check PROFILE|- [--format table|json]}: the plan API's answer for one profile, for a pipeline to gate a change
 * on. It reads the body {@code POST /api/v1/plan} takes and answers with an exit code: {@link #PASS} with no critical
 * finding, {@link #CRITICAL} with one, {@link #INPUT_ERROR} for a body the API would answer with 400 (or an unreadable
 * file or a wrong option), {@link #FAILURE} if the command itself broke.
 */
public final class CheckCommand {

    public static final String NAME = "check";
    public static final int PASS = 0;
    public static final int CRITICAL = 1;
    public static final int INPUT_ERROR = 2;
    public static final int FAILURE = 3;

    static final String USAGE = """
            Usage: java -jar quarkus-run.jar check PROFILE|- [--format table|json]

            Plans PROFILE (a file, or - for standard input) as POST /api/v1/plan does: the output of
            az aks show -o json plus "subnets" and the other additions of the plan API.
              --format table   findings, pools and the az commands that fix them (the default)
              --format json    exactly the plan API's answer (its problem document for a 400)
            Exit status: 0 no critical finding, 1 a critical finding, 2 an input error, 3 the command failed.
            The plan settings are read as the service reads them, from system properties or the environment:
            aks-headroom.plan.headroom-factor (AKS_HEADROOM_PLAN_HEADROOM_FACTOR), min-ports-per-node,
            utilization-warning, utilization-critical.
            """;

    private static final String PLAN_PREFIX = "aks-headroom.plan.";

    private final CapacityPlanner planner;
    private final ObjectMapper mapper = DomainJsonModule.standaloneMapper();

    public CheckCommand(PlanSettings settings) {
        this.planner = new CapacityPlanner(settings);
    }

    /**
     * Runs the command with the plan settings the service would take from the same system properties and environment
     * variables (MicroProfile Config's names: {@code aks-headroom.plan.headroom-factor} or
     * {@code AKS_HEADROOM_PLAN_HEADROOM_FACTOR}), the defaults otherwise.
     */
    public static int run(List<String> args, Map<String, String> environment, Properties system, InputStream stdin,
            PrintStream out, PrintStream err) {
        PlanSettings defaults = PlanSettings.DEFAULTS;
        PlanSettings settings;
        try {
            settings = new PlanSettings(
                    Double.parseDouble(setting("headroom-factor", defaults.headroomFactor(), environment, system)),
                    Integer.parseInt(setting("min-ports-per-node", defaults.minPortsPerNode(), environment, system)),
                    Double.parseDouble(setting("utilization-warning", defaults.utilizationWarning(), environment,
                            system)),
                    Double.parseDouble(setting("utilization-critical", defaults.utilizationCritical(), environment,
                            system)));
        } catch (IllegalArgumentException e) {
            err.println("check: invalid " + PLAN_PREFIX + "* setting: " + e.getMessage());
            return INPUT_ERROR;
        }
        return new CheckCommand(settings).run(args, stdin, out, err);
    }

    private static String setting(String name, Object fallback, Map<String, String> environment, Properties system) {
        String key = PLAN_PREFIX + name;
        String value = system.getProperty(key);
        if (value == null) {
            value = environment.get(key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'));
        }
        return value == null ? String.valueOf(fallback) : value.trim();
    }

    /** The arguments after {@code check}; writes the answer to {@code out}, errors to {@code err}. */
    public int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            err.print(USAGE);
            return INPUT_ERROR;
        }
        if (arguments.help()) {
            out.print(USAGE);
            return PASS;
        }
        String body;
        try {
            body = arguments.source().equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : new String(Files.readAllBytes(Path.of(arguments.source())), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("check: cannot read " + arguments.source() + ": " + e);
            return INPUT_ERROR;
        }
        try {
            ClusterProfile profile = ProfileJson.parse(mapper.readTree(body));
            Plan plan = planner.plan(profile);
            out.println(arguments.json() ? mapper.writeValueAsString(plan) : FindingsTable.render(profile, plan));
            return plan.findings().stream().anyMatch(f -> f.severity() == Severity.CRITICAL) ? CRITICAL : PASS;
        } catch (InvalidInputException e) {
            return refuse(Problem.invalidInput(e.field(), e.detail()), arguments, out, err);
        } catch (JsonProcessingException e) {
            return refuse(Problem.malformedJson(e), arguments, out, err);
        } catch (RuntimeException e) {
            err.println("check: failed on a body the planner should have taken or refused:");
            e.printStackTrace(err);
            return FAILURE;
        }
    }

    private int refuse(Problem problem, Arguments arguments, PrintStream out, PrintStream err) {
        if (arguments.json()) {
            try {
                out.println(mapper.writeValueAsString(problem));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a problem document is always writable", e);
            }
        }
        err.println("check: " + problem.title().toLowerCase(Locale.ROOT) + ": " + problem.detail());
        return INPUT_ERROR;
    }

    /** What the command line asks for: the profile's source ({@code -} for stdin) and the output format. */
    record Arguments(String source, boolean json, boolean help) {

        static Arguments parse(List<String> args) {
            String source = null;
            String format = "table";
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                } else if (arg.equals("--format")) {
                    if (i + 1 == args.size()) {
                        throw new IllegalArgumentException("--format needs a value: table or json");
                    }
                    format = args.get(++i);
                } else if (arg.startsWith("--format=")) {
                    format = arg.substring("--format=".length());
                } else if (arg.startsWith("-") && !arg.equals("-")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else if (source != null) {
                    throw new IllegalArgumentException("one profile at a time, got " + source + " and " + arg);
                } else {
                    source = arg;
                }
            }
            if (!format.equals("table") && !format.equals("json")) {
                throw new IllegalArgumentException("--format is table or json, got " + format);
            }
            if (source == null && !help) {
                throw new IllegalArgumentException("name a profile file, or - for standard input");
            }
            return new Arguments(source, format.equals("json"), help);
        }
    }
}
