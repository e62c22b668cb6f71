package io.tenantry.client.internal.tx;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.tx.Jwks;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's token-signing keys by id, as its JWKS publishes them: fetched on first use, kept, and fetched
 * again when a token names an unknown key (a rotation), at most once per {@code minRefetch} so that tokens with
 * made-up key ids cannot make the participant hammer the control plane.
 *
 * <p>Thread-safety: thread-safe; lookups of a known key read an immutable map.
 */
public final class JwksKeys implements Function<String, PublicKey> {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  /** Fetches the JWKS document ({@code {"keys":[...]}}). */
  @FunctionalInterface
  public interface Source {
    JsonNode fetch() throws Exception;
  }

  private final Source source;
  private final Clock clock;
  private final Duration minRefetch;
  private volatile Map<String, PublicKey> keys = Map.of();
  private Instant lastFetch; // guarded by this

  public JwksKeys(Source source, Clock clock, Duration minRefetch) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.minRefetch = Objects.requireNonNull(minRefetch, "minRefetch");
  }

  /** The key {@code kid}, or null if the control plane does not publish it (or cannot be reached). */
  @Override
  public PublicKey apply(String kid) {
    PublicKey key = keys.get(kid);
    if (key != null) {
      return key;
    }
    synchronized (this) {
      key = keys.get(kid); // fetched while this thread waited
      if (key != null) {
        return key;
      }
      Instant now = clock.instant();
      if (lastFetch != null && now.isBefore(lastFetch.plus(minRefetch))) {
        return null;
      }
      lastFetch = now;
      try {
        keys = parse(source.fetch());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("could not fetch the control plane's JWKS: {}", e.toString());
      }
      return keys.get(kid);
    }
  }

  private static Map<String, PublicKey> parse(JsonNode jwks) {
    Map<String, PublicKey> out = new HashMap<>();
    if (jwks != null && jwks.path("keys").isArray()) {
      for (JsonNode jwk : jwks.get("keys")) {
        PublicKey key = Jwks.fromJwk(jwk);
        if (key != null && jwk.path("kid").isTextual()) {
          out.put(jwk.get("kid").asText(), key);
        }
      }
    }
    return Map.copyOf(out);
  }
}
