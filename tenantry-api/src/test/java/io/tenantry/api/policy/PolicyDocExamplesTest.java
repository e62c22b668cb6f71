package io.tenantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the examples of docs/POLICIES.md true: every JSON code block tagged with a policy kind is read as
 * the control plane reads a write. A block is tagged by its info string (<code>```json route</code>) or
 * by an HTML comment on the line before it (<code>&lt;!-- policy: route --&gt;</code>). A block that has a
 * {@code spec} field is a whole {@code PUT} body ({@link PolicySpec}, unknown fields refused); any other is
 * the {@code spec} alone. Untagged blocks (answers, events) are not checked.
 */
class PolicyDocExamplesTest {
  private static final Path DOC = locate("docs/POLICIES.md");
  private static final Pattern FENCE = Pattern.compile("^```json\\s+([a-z-]+)\\s*$");
  private static final Pattern COMMENT = Pattern.compile("^<!--\\s*policy:\\s*([a-z-]+)\\s*-->\\s*$");
  private static final ObjectMapper MAPPER = Json.newMapper();

  /** One tagged example: where it starts (1-based line of its fence), its kind and its text. */
  record Example(int line, PolicyKind kind, String json) {}

  @TestFactory
  List<DynamicTest> everyTaggedExampleIsAcceptedByTheControlPlane() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Example e : examples()) {
      tests.add(DynamicTest.dynamicTest("POLICIES.md:" + e.line() + " (" + e.kind() + ")", () -> accept(e)));
    }
    return tests;
  }

  @Test
  void everyKindHasExamples() throws IOException {
    Set<PolicyKind> seen = EnumSet.noneOf(PolicyKind.class);
    for (Example e : examples()) {
      seen.add(e.kind());
    }
    assertThat(seen).as("kinds with a tagged example in " + DOC).containsExactlyInAnyOrder(PolicyKind.values());
  }

  private static void accept(Example e) throws IOException {
    JsonNode node = MAPPER.readTree(e.json());
    assertThat(node.isObject()).as("POLICIES.md:" + e.line() + " is a JSON object").isTrue();
    JsonNode spec = node;
    if (node.has("spec")) {
      spec = MAPPER.treeToValue(node, PolicySpec.class).spec();
    }
    Object parsed = PolicySpecs.parse(e.kind(), spec);
    assertThat(parsed).isInstanceOf(e.kind().specType());
  }

  /** The tagged JSON blocks of the document, in order. */
  static List<Example> examples() throws IOException {
    List<String> lines = Files.readAllLines(DOC);
    List<Example> out = new ArrayList<>();
    String pending = null; // a kind named by a comment, for the block that follows it
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      Matcher comment = COMMENT.matcher(line);
      if (comment.matches()) {
        pending = comment.group(1);
        continue;
      }
      if (!line.startsWith("```")) {
        if (!line.isEmpty()) {
          pending = null;
        }
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      String kind = fence.matches() ? fence.group(1) : line.equals("```json") ? pending : null;
      pending = null;
      int start = i;
      StringBuilder body = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        body.append(lines.get(i)).append('\n');
      }
      if (i == lines.size()) {
        throw new AssertionError("POLICIES.md:" + (start + 1) + ": code block not closed");
      }
      if (kind != null) {
        out.add(new Example(start + 1, PolicyKind.of(kind), body.toString()));
      }
    }
    return out;
  }

  /** {@code relative} found from the working directory or one of its parents (a module or the repo root). */
  private static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(relative);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(relative + " not found from " + Path.of("").toAbsolutePath());
  }
}
