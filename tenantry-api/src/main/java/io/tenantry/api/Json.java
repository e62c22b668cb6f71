package io.tenantry.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/**
 * The one JSON configuration of the wire: unknown fields are refused (a typo must not pass silently),
 * primitives may not be null, scalars are never coerced to another type, timestamps are ISO-8601, and nesting and string sizes are bounded
 * against hostile input.
 */
public final class Json {
  private Json() {}

  /** A new mapper configured for the wire. Mappers are thread-safe: create one and share it. */
  public static ObjectMapper newMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(32)
        .maxStringLength(1 << 20)
        .maxNumberLength(32)
        .build());
    mapper.registerModule(new JavaTimeModule());
    // registered after JavaTimeModule, so they come first: the same text, written and read without a formatter
    mapper.registerModule(new SimpleModule("tenantry-instants")
        .addSerializer(Instant.class, new UtcInstantSerializer())
        .addDeserializer(Instant.class, new UtcInstantDeserializer()));
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // A wrong type is an error, not a guess: no 1 -> "1" for strings or enums, no "8080" -> 8080.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return mapper;
  }
}
