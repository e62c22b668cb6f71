package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.api.policy.PolicySpecs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One policy as the demo keeps it: a commented YAML file holding {@code kind}, {@code name} and the body
 * of the control plane's {@code PUT .../policies/{kind}/{name}} ({@code service}, {@code dryRun},
 * {@code description}, {@code spec}). Read and validated here with the same checks as the control plane's
 * (an error names the file and the field), so a broken file stops the launcher before anything starts.
 * The demo's own files are resources under {@code policies/}; {@code --policies <dir>} reads every
 * {@code *.yaml} of a directory instead. Immutable.
 */
record PolicyFile(String source, PolicyKind kind, String name, PolicySpec body) {
  /** The demo's policies, applied in this order. */
  static final List<String> BUNDLED = List.of("order-rate-limit.yaml", "order-resilience.yaml", "order-canary.yaml",
      "payment-resilience.yaml", "tracing.yaml", "payment-alerts.yaml");
  static final String RESOURCE_DIR = "policies/";
  private static final Set<String> FIELDS = Set.of("kind", "name", "service", "dryRun", "description", "spec");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** This policy with {@code url} added to its webhook notifiers: for an {@code alert} policy, else itself. */
  PolicyFile withNotifier(URI url) {
    if (kind != PolicyKind.ALERT) {
      return this;
    }
    ObjectNode spec = body.spec().deepCopy();
    ArrayNode notifiers = spec.has("notifiers") ? (ArrayNode) spec.get("notifiers") : spec.putArray("notifiers");
    notifiers.addObject().put("url", url.toString());
    PolicySpec changed = new PolicySpec(body.service(), body.dryRun(), body.description(), spec);
    PolicySpecs.parse(kind, changed.spec());
    return new PolicyFile(source, kind, name, changed);
  }

  /** The demo's own policy files, from the classpath. */
  static List<PolicyFile> bundled() {
    List<PolicyFile> out = new ArrayList<>();
    for (String file : BUNDLED) {
      try (InputStream in = PolicyFile.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
        if (in == null) {
          throw new IllegalStateException("policy file " + RESOURCE_DIR + file + " is missing from the classpath");
        }
        out.add(parse(RESOURCE_DIR + file, in.readAllBytes()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + RESOURCE_DIR + file, e);
      }
    }
    return out;
  }

  /** Every {@code *.yaml} / {@code *.yml} file of {@code dir}, by file name. */
  static List<PolicyFile> directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("policies: " + dir + " (expected: a directory of *.yaml policy files)");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> yaml = files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
      List<PolicyFile> out = new ArrayList<>();
      for (Path f : yaml) {
        out.add(parse(f.toString(), Files.readAllBytes(f)));
      }
      return out;
    }
  }

  /** Reads one file; an {@link IllegalArgumentException} names the file and what is wrong. */
  static PolicyFile parse(String source, byte[] yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not YAML: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping with kind, name, service and spec");
    }
    try {
      root.fieldNames().forEachRemaining(f -> {
        if (!FIELDS.contains(f)) {
          throw new ValidationException(f, "unknown field (expected: one of " + new java.util.TreeSet<>(FIELDS) + ")");
        }
      });
      PolicyKind kind = PolicyKind.of(text(root, "kind"));
      String name = Names.name("name", text(root, "name"));
      JsonNode dryRun = root.get("dryRun");
      if (dryRun != null && !dryRun.isBoolean()) {
        throw new ValidationException("dryRun", "'" + dryRun.asText() + "' (expected: true or false)");
      }
      JsonNode description = root.get("description");
      PolicySpec body = new PolicySpec(text(root, "service"), dryRun != null && dryRun.booleanValue(),
          description == null ? null : description.asText(), spec(root));
      PolicySpecs.parse(kind, body.spec()); // the control plane's own validation of the kind's spec
      return new PolicyFile(source, kind, name, body);
    } catch (ValidationException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isTextual()) {
      throw new ValidationException(field, v == null ? "missing" : "'" + v.asText() + "' (expected: text)");
    }
    return v.asText();
  }

  private static ObjectNode spec(JsonNode root) {
    JsonNode spec = root.get("spec");
    if (spec == null || !spec.isObject()) {
      throw new ValidationException("spec", spec == null ? "missing" : "not a mapping (expected: the kind's settings)");
    }
    return (ObjectNode) spec;
  }

  /** How the launcher names it in its log line. */
  String label() {
    return kind.wire() + "/" + name + " on " + body.service();
  }
}
