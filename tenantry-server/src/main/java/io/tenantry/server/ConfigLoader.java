package io.tenantry.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link ServerConfig} from its sources, a later one winning: defaults, a properties file
 * ({@code --config <file>} or {@code TENANTRY_CONFIG}), environment variables
 * ({@code TENANTRY_SERVER_PORT}) and flags ({@code --server.port=8080}, {@code --port 8080}).
 * Unknown keys in a file or flags and bad values are refused with a {@link ConfigException}.
 */
public final class ConfigLoader {
  /** Short flags and the keys they stand for. */
  private static final Map<String, String> SHORT = Map.of(
      "port", "server.port", "host", "server.host", "data-dir", "data.dir", "admin-key", "admin.key", "store-url", "store.url");

  /** What the command line asked for: help, or a server with a configuration. */
  public record Result(boolean help, ServerConfig config) {}

  private ConfigLoader() {}

  public static Result load(List<String> args, Map<String, String> env) {
    Map<String, String> flags = new LinkedHashMap<>();
    String configFile = env.get("TENANTRY_CONFIG");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Result(true, null);
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException("unexpected argument '" + arg + "' (expected: --key=value; run with --help to see every key)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new ConfigException("flag --" + name + " has no value (expected: --" + name + "=<value>)");
      }
      if (name.equals("config")) {
        configFile = value;
        continue;
      }
      flags.put(keyOf(name, "flag --" + name), value);
    }

    ServerConfig.Builder b = ServerConfig.newBuilder();
    if (configFile != null && !configFile.isBlank()) {
      String source = "file " + configFile;
      readFile(Path.of(configFile)).forEach((k, v) -> apply(b, k, v, source));
    }
    for (ConfigKeys.Key key : ConfigKeys.ALL) {
      String v = env.get(key.envName());
      if (v != null) {
        apply(b, key.name(), v, "environment variable " + key.envName());
      }
    }
    flags.forEach((k, v) -> apply(b, k, v, "flag --" + k));
    return new Result(false, b.build());
  }

  /** The help text: usage and every key with its default and meaning. */
  public static String help() {
    StringBuilder s = new StringBuilder();
    s.append("Usage: tenantry server [--config <file>] [--<key>=<value> ...]\n\n");
    s.append("The Tenantry control plane. Each key can be set, a later source winning, in a properties file\n");
    s.append("(--config <file> or TENANTRY_CONFIG), as an environment variable (TENANTRY_<KEY>, upper case,\n");
    s.append("'.' and '-' as '_') or as a flag. Short flags: --port, --host, --data-dir, --admin-key, --store-url.\n\n");
    s.append("Keys:\n");
    for (ConfigKeys.Key k : ConfigKeys.ALL) {
      s.append(String.format("  --%s=<%s>%n      %s (default: %s; env %s)%n", k.name(), k.type(), k.help(),
          k.defaultValue().isEmpty() ? "none" : k.defaultValue(), k.envName()));
    }
    s.append("\n  --help\n      print this and exit\n");
    return s.toString();
  }

  private static String keyOf(String name, String source) {
    String key = SHORT.getOrDefault(name, name);
    if (ConfigKeys.find(key).isEmpty()) {
      throw new ConfigException("unknown " + source + " (run with --help to see every key)");
    }
    return key;
  }

  private static void apply(ServerConfig.Builder b, String name, String value, String source) {
    ConfigKeys.Key key = ConfigKeys.find(name)
        .orElseThrow(() -> new ConfigException("unknown key '" + name + "' in " + source + " (run with --help to see every key)"));
    try {
      key.apply().accept(b, value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value in " + source + ": " + e.getMessage());
    }
  }

  private static Map<String, String> readFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage()
          + " (expected: a readable properties file)");
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(p.stringPropertyNames());
    names.sort(null);
    names.forEach(n -> out.put(n, p.getProperty(n).trim()));
    return out;
  }
}
