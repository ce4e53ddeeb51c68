package dev.clothes.lambda.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** infra/lambda-runtimes.tsv: when Lambda stops accepting new and updated functions on each runtime. */
record LambdaRuntimes(Map<String, Dates> byRuntime) {

    static final String HEADER = "runtime\tdeprecation\tblock_create\tblock_update";

    record Dates(LocalDate deprecation, LocalDate blockCreate, LocalDate blockUpdate) {
    }

    LambdaRuntimes {
        byRuntime = Map.copyOf(byRuntime);
    }

    Optional<Dates> dates(String runtime) {
        return Optional.ofNullable(byRuntime.get(runtime));
    }

    static LambdaRuntimes load(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(tsv + ": the first line after the comments must be '"
                    + HEADER + "', got " + (lines.isEmpty() ? "nothing" : "'" + lines.get(0) + "'"));
        }
        Map<String, Dates> byRuntime = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            if (cells.length != 4) {
                throw new IllegalArgumentException(tsv + ": expected 4 tab-separated cells, got '" + line + "'");
            }
            try {
                Dates dates = new Dates(LocalDate.parse(cells[1]), LocalDate.parse(cells[2]), LocalDate.parse(cells[3]));
                if (byRuntime.put(cells[0], dates) != null) {
                    throw new IllegalArgumentException(tsv + ": runtime '" + cells[0] + "' listed twice");
                }
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(tsv + ": dates must be YYYY-MM-DD, got '" + line + "'", e);
            }
        }
        return new LambdaRuntimes(byRuntime);
    }
}
