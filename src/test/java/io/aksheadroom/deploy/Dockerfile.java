package io.aksheadroom.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instructions of a Dockerfile, as far as the image tests need them: continuation lines joined, comments dropped,
 * COPY split into flags, sources and destination (shell and JSON-array forms).
 */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    /**
     * A COPY: {@code from} is the {@code --from} stage or image, empty when the sources come from the build context;
     * {@code chown} the owner it gives the files, empty when they stay root's.
     */
    record Copy(Optional<String> from, Optional<String> chown, List<String> sources, String destination) {
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (pending.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            // A comment inside a continued instruction is dropped by Docker too.
            if (line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            pending.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
        }
        return new Dockerfile(List.copyOf(instructions));
    }

    List<String> arguments(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    List<Copy> copies() {
        return arguments("COPY").stream().map(Dockerfile::copy).toList();
    }

    private static Copy copy(String arguments) {
        List<String> words = new ArrayList<>(Arrays.asList(arguments.split("\\s+")));
        Optional<String> from = Optional.empty();
        Optional<String> chown = Optional.empty();
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--from=")) {
                from = Optional.of(flag.substring("--from=".length()));
            } else if (flag.startsWith("--chown=")) {
                chown = Optional.of(flag.substring("--chown=".length()));
            }
        }
        List<String> paths = words;
        String rest = String.join(" ", words);
        if (rest.startsWith("[")) {
            try {
                paths = new ObjectMapper().readValue(rest, new TypeReference<List<String>>() {
                });
            } catch (IOException e) {
                throw new IllegalArgumentException("COPY " + arguments + ": not a JSON array", e);
            }
        }
        if (paths.size() < 2) {
            throw new IllegalArgumentException("COPY " + arguments + ": needs a source and a destination");
        }
        return new Copy(from, chown, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1));
    }
}
