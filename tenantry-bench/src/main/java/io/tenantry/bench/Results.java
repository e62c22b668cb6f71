package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The figures of one run, printed as they come and appended to a file when one is given, so that a
 * run cut short keeps what it measured. Thread-safe.
 */
final class Results {
  private final List<Figure> figures = new ArrayList<>();
  private final PrintStream log;
  private final Path file;

  Results(PrintStream log, Path file) {
    this.log = log;
    this.file = file;
  }

  synchronized void add(String system, String scenario, String metric, double value, String unit) {
    Figure f = new Figure(system, scenario, metric, value, unit);
    figures.add(f);
    log.println("  " + system + " " + scenario + " " + metric + " = " + Figure.format(value) + " " + unit);
    if (file != null) {
      try {
        Files.writeString(file, f.toLine() + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file, e);
      }
    }
  }

  synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  synchronized Optional<Figure> find(String system, String scenario, String metric) {
    return figures.stream()
        .filter(f -> f.system().equals(system) && f.scenario().equals(scenario) && f.metric().equals(metric))
        .reduce((a, b) -> b);
  }

  static List<Figure> read(Path file) throws IOException {
    List<Figure> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(Figure.parse(line));
      }
    }
    return out;
  }
}
