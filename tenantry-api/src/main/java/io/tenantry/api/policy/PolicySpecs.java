package io.tenantry.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.tenantry.api.Json;
import io.tenantry.api.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a policy's {@code spec} into its kind's record, the one validation shared by the control plane
 * (on write) and the SDK (on receipt). Every error is a {@link ValidationException} whose field is the
 * JSON path from the policy's root, e.g. {@code spec.rules[0].destinations[1].weight}.
 */
public final class PolicySpecs {
  private static final ObjectMapper MAPPER = Json.newMapper();
  /** The components of each spec record by name, with their types: worked out once per record class. */
  private static final ClassValue<java.util.Map<String, com.fasterxml.jackson.databind.JavaType>> FIELDS =
      new ClassValue<>() {
        @Override
        protected java.util.Map<String, com.fasterxml.jackson.databind.JavaType> computeValue(Class<?> type) {
          java.util.Map<String, com.fasterxml.jackson.databind.JavaType> fields = new java.util.HashMap<>();
          for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            fields.put(c.getName(), MAPPER.getTypeFactory().constructType(c.getGenericType()));
          }
          return java.util.Map.copyOf(fields);
        }
      };

  private PolicySpecs() {}

  /** The typed spec of {@code kind}: a {@link RouteSpec}, {@link RateLimitSpec}, {@link ResilienceSpec} or {@link QuotaSpec}. */
  public static Object parse(PolicyKind kind, JsonNode spec) {
    return parse(spec, kind.specType());
  }

  /** The typed spec of {@code policy}. */
  public static Object parse(Policy policy) {
    return parse(policy.kind(), policy.spec());
  }

  /**
   * {@code spec} read into {@code type}; see the class comment for errors. The same spec object (by identity)
   * read again into the same type is answered from a small memo: an SDK's policy cache and each engine that
   * applies a policy read the same spec, which is then parsed once. Specs are immutable records, safe to share.
   */
  public static <T> T parse(JsonNode spec, Class<T> type) {
    Read key = new Read(spec, type);
    Object known = READ.get(key);
    if (known != null) {
      return type.cast(known);
    }
    T parsed = read(spec, type);
    READ.put(key, parsed);
    return parsed;
  }

  /** The last specs read, by the identity of their JSON; bounded, least recently used evicted. */
  private static final Map<Read, Object> READ = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Read, Object> eldest) {
      return size() > 256;
    }
  });

  /** A spec object and the type it was read into, equal only to the same object and type. */
  private static final class Read {
    private final JsonNode spec;
    private final Class<?> type;

    Read(JsonNode spec, Class<?> type) {
      this.spec = spec;
      this.type = type;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Read r && r.spec == spec && r.type == type;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(spec) * 31 + type.hashCode();
    }
  }

  private static <T> T read(JsonNode spec, Class<T> type) {
    unknownFields(spec, MAPPER.constructType(type), "spec");
    try {
      return MAPPER.treeToValue(spec, type);
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof ValidationException v) {
        String at = path(e);
        // an enum's creator names its own field, which the path already ends with
        String field = at.isEmpty() ? "spec." + v.field() : at.endsWith("." + v.field()) ? "spec" + at : "spec" + at + "." + v.field();
        throw new ValidationException(field, v.reason());
      }
      throw new ValidationException("spec" + path(e), message(e));
    } catch (UnrecognizedPropertyException e) {
      throw new ValidationException("spec" + path(e), "unknown field (expected: one of " + e.getKnownPropertyIds() + ")");
    } catch (JsonMappingException e) {
      throw new ValidationException("spec" + path(e), message(e));
    } catch (JsonProcessingException e) {
      throw new ValidationException("spec", message(e));
    }
  }

  /**
   * Refuses a field the records do not have, before any is built: a record's own checks run first in Jackson
   * and would report a misspelt required field as missing instead of pointing at the typo.
   */
  private static void unknownFields(JsonNode node, com.fasterxml.jackson.databind.JavaType type, String path) {
    if (node == null || node.isNull()) {
      return;
    }
    if (type.isCollectionLikeType() && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        unknownFields(node.get(i), type.getContentType(), path + "[" + i + "]");
      }
      return;
    }
    if (type.isMapLikeType() && node.isObject()) {
      node.fields().forEachRemaining(e -> unknownFields(e.getValue(), type.getContentType(), path + "." + e.getKey()));
      return;
    }
    if (!type.getRawClass().isRecord() || !node.isObject()) {
      return; // scalars and wrong shapes: Jackson's own errors say it
    }
    java.util.Map<String, com.fasterxml.jackson.databind.JavaType> fields = FIELDS.get(type.getRawClass());
    java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      java.util.Map.Entry<String, JsonNode> e = it.next();
      com.fasterxml.jackson.databind.JavaType t = fields.get(e.getKey());
      if (t == null) {
        throw new ValidationException(path + "." + e.getKey(), "unknown field (expected: one of "
            + new java.util.TreeSet<>(fields.keySet()) + ")");
      }
      unknownFields(e.getValue(), t, path + "." + e.getKey());
    }
  }

  /** The Jackson path of an error as {@code .a[0].b}, empty at the root. */
  static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int cut = m.indexOf('\n');
    return cut < 0 ? m : m.substring(0, cut);
  }
}
