package dev.berth.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The table the benchmark prints: a Markdown table, so it goes into the README as it is. */
final class ResultTable {

    private static final List<String> HEADER = List.of("figure", "measured", "target", "verdict",
            "baseline (same run)", "ratio", "notes");

    private final List<Figure> figures = new ArrayList<>();

    void add(Figure figure) {
        figures.add(figure);
        System.out.println("[bench] " + figure.name() + ": " + figure.measured() + " (target " + figure.target()
                + ", " + figure.verdict().label() + ") " + figure.note());
    }

    void print(PrintStream out, String machine) {
        out.println();
        out.println("Measured on " + machine);
        out.println();
        out.println(row(HEADER));
        out.println(row(HEADER.stream().map(h -> "---").toList()));
        for (Figure f : figures) {
            out.println(row(List.of(f.name(), f.measured(), f.target(), f.verdict().label(), f.baseline(),
                    f.ratio(), f.note())));
        }
        out.println();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "/")).toList()) + " |";
    }
}
