package io.tenantry.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line options of one command, parsed against the options it declares: {@code --name=value},
 * {@code --name value}, or {@code --name} alone for a flag; an option may repeat. Unknown options and
 * missing values are refused with a message naming them. Immutable once parsed; thread-safe.
 */
public final class Options {
  /** One declared option: its name without dashes, the argument it takes (null for a flag), its default and help. */
  public record Spec(String name, String arg, String defaultValue, String help) {
    public static Spec flag(String name, String help) {
      return new Spec(name, null, null, help);
    }

    public static Spec of(String name, String arg, String defaultValue, String help) {
      return new Spec(name, arg, defaultValue, help);
    }

    boolean flag() {
      return arg == null;
    }
  }

  private final Map<String, List<String>> values;
  private final Map<String, Spec> specs;

  private Options(Map<String, List<String>> values, Map<String, Spec> specs) {
    this.values = values;
    this.specs = specs;
  }

  /** Parses {@code args}; throws {@link UsageException} on an unknown option or a missing value. */
  public static Options parse(String[] args, List<Spec> declared) {
    Map<String, Spec> specs = new LinkedHashMap<>();
    declared.forEach(s -> specs.put(s.name(), s));
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new UsageException("unexpected argument: '" + a + "' (expected: --option[=value])");
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
      Spec spec = specs.get(name);
      if (spec == null) {
        throw new UsageException("unknown option: --" + name + " (expected one of: "
            + String.join(", ", specs.keySet().stream().map(n -> "--" + n).toList()) + ")");
      }
      String value;
      if (spec.flag()) {
        value = eq < 0 ? "true" : a.substring(eq + 1);
      } else if (eq >= 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("--" + name + ": missing value (expected: " + spec.arg() + ")");
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return new Options(values, specs);
  }

  /** The last value given for {@code name}, else its default, else empty. */
  public Optional<String> get(String name) {
    List<String> v = values.get(known(name));
    return v == null ? Optional.ofNullable(specs.get(name).defaultValue()) : Optional.of(v.get(v.size() - 1));
  }

  /** Every value given for a repeatable option, in order; the default alone if none was given. */
  public List<String> all(String name) {
    List<String> v = values.get(known(name));
    if (v != null) {
      return List.copyOf(v);
    }
    String d = specs.get(name).defaultValue();
    return d == null ? List.of() : List.of(d);
  }

  public String required(String name) {
    return get(name).orElseThrow(() -> new UsageException("--" + name + ": missing (expected: "
        + specs.get(name).arg() + ")"));
  }

  public boolean flag(String name) {
    return get(name).map(v -> {
      if (!v.equals("true") && !v.equals("false")) {
        throw new UsageException("--" + name + ": '" + v + "' (expected: true or false)");
      }
      return Boolean.parseBoolean(v);
    }).orElse(false);
  }

  public int integer(String name, int min, int max) {
    String v = required(name);
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new UsageException("--" + name + ": " + v + " (expected: " + min + ".." + max + ")");
      }
      return i;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + v + "' (expected: an integer " + min + ".." + max + ")");
    }
  }

  /** A decimal number within [{@code min}, {@code max}]. */
  public double number(String name, double min, double max) {
    String v = required(name);
    try {
      double d = Double.parseDouble(v);
      if (!(d >= min && d <= max)) {
        throw new UsageException("--" + name + ": " + v + " (expected: " + min + ".." + max + ")");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + v + "' (expected: a number " + min + ".." + max + ")");
    }
  }

  public double fraction(String name) {
    String v = required(name);
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 1)) {
        throw new UsageException("--" + name + ": " + v + " (expected: 0..1)");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + v + "' (expected: a number 0..1)");
    }
  }

  public Duration duration(String name) {
    return parseDuration(name, required(name));
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number means seconds. */
  public static Duration parseDuration(String name, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return nonNegative(name, v, Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2))));
      }
      char unit = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
      String num = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1);
      long n = Long.parseLong(num);
      Duration d = switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> {
          if (!Character.isDigit(unit)) {
            throw new NumberFormatException(v);
          }
          yield Duration.ofSeconds(n);
        }
      };
      return nonNegative(name, v, d);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": '" + v + "' (expected: a duration like 500ms, 30s, 2m)");
    }
  }

  private static Duration nonNegative(String name, String v, Duration d) {
    if (d.isNegative()) {
      throw new UsageException("--" + name + ": '" + v + "' (expected: >= 0)");
    }
    return d;
  }

  private static final int HELP_WIDTH = 110;
  private static final int HELP_INDENT = 30;

  /** Breaks {@code text} at spaces into lines of at most {@code width}, continuation lines indented. */
  static String wrap(String text, int width, String indent) {
    StringBuilder out = new StringBuilder();
    int lineLength = 0;
    for (String word : text.split(" ")) {
      if (lineLength > 0 && lineLength + 1 + word.length() > width) {
        out.append('\n').append(indent);
        lineLength = 0;
      } else if (lineLength > 0) {
        out.append(' ');
        lineLength++;
      }
      out.append(word);
      lineLength += word.length();
    }
    return out.toString();
  }

  private String known(String name) {
    if (!specs.containsKey(name)) {
      throw new IllegalArgumentException("undeclared option: " + name);
    }
    return name;
  }

  /** The help text: usage line, description, then every option with its argument, default and meaning. */
  public static String help(String usage, String description, List<Spec> declared) {
    StringBuilder b = new StringBuilder("Usage: ").append(usage).append("\n\n").append(description).append("\n\nOptions:\n");
    for (Spec s : declared) {
      String head = "  --" + s.name() + (s.flag() ? "" : " <" + s.arg() + ">");
      b.append(head);
      b.append(head.length() < HELP_INDENT ? " ".repeat(HELP_INDENT - head.length()) : "\n" + " ".repeat(HELP_INDENT));
      String text = s.help() + (s.defaultValue() == null ? "" : " (default: " + s.defaultValue() + ")");
      b.append(wrap(text, HELP_WIDTH - HELP_INDENT, " ".repeat(HELP_INDENT))).append('\n');
    }
    return b.toString();
  }
}
