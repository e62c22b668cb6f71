package io.tenantry.server.security;

import io.tenantry.api.ApiKey;
import io.tenantry.api.ApiKeySpec;
import io.tenantry.api.CreatedApiKey;
import io.tenantry.api.Role;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.ApiKeyStore;
import io.tenantry.server.store.StoredApiKey;
import io.tenantry.server.tenant.NamespaceDirectory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys: creation, listing (never secrets), revocation and the authentication of bearer tokens.
 * Every active key is held in memory ({@link #start()} loads them), so authenticating a request costs
 * one SHA-256 and no store access; a revocation removes the key from memory at once. Thread-safe.
 */
public final class ApiKeyService {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);

  private final ApiKeyStore store;
  private final NamespaceDirectory namespaces;
  private final Clock clock;
  private final Tokens tokens;
  private final Map<String, StoredApiKey> active = new ConcurrentHashMap<>();

  public ApiKeyService(ApiKeyStore store, NamespaceDirectory namespaces, Clock clock) {
    this.store = store;
    this.namespaces = namespaces;
    this.clock = clock;
    this.tokens = new Tokens(new SecureRandom());
  }

  /** Loads every active key into memory. Call once before serving. */
  public void start() {
    active.clear();
    store.listActive().forEach(k -> active.put(k.key().id(), k));
  }

  /**
   * Makes sure a platform-admin credential exists. On the first start (none stored yet) it stores
   * {@code configuredKey} if given, else a newly generated key, which it returns; the caller shows it
   * once. Returns empty when nothing was generated.
   *
   * @param configuredKey a key from configuration (20-200 of [A-Za-z0-9_-]) or null
   */
  public Optional<String> bootstrapAdmin(String configuredKey) {
    if (store.hasPlatformAdmin()) {
      if (configuredKey != null && authenticate(configuredKey).filter(Principal::platformAdmin).isEmpty()) {
        LOG.warn("admin.key is ignored: a platform-admin credential was created on an earlier start");
      }
      return Optional.empty();
    }
    if (configuredKey != null && !Tokens.CONFIGURED_ADMIN_KEY.matcher(configuredKey).matches()) {
      throw new IllegalArgumentException("admin.key: " + configuredKey.length()
          + " characters (expected: 20 to 200 of [A-Za-z0-9_-])");
    }
    String token = configuredKey != null ? configuredKey : tokens.newToken(Tokens.ADMIN_KEY_ID);
    ApiKey key = new ApiKey(Tokens.ADMIN_KEY_ID, null, "bootstrap-admin", Role.PLATFORM_ADMIN, now(), false);
    StoredApiKey stored = new StoredApiKey(key, Tokens.hash(token));
    if (!store.insert(stored)) {
      throw new IllegalStateException("a bootstrap admin key exists but is not a platform-admin credential");
    }
    active.put(key.id(), stored);
    LOG.info("platform-admin credential created from {}", configuredKey != null ? "configuration (admin.key)" : "a generated key");
    return configuredKey != null ? Optional.empty() : Optional.of(token);
  }

  /** The principal of a bearer token, or empty if it is unknown, malformed or revoked. */
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > Tokens.MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    String hash = Tokens.hash(token);
    StoredApiKey k = active.get(Tokens.keyIdOf(token));
    if (k == null || !Tokens.sameHash(hash, k.secretHash())) {
      // A configured admin key may itself look like tnt_<x>_<y>.
      k = active.get(Tokens.ADMIN_KEY_ID);
      if (k == null || !Tokens.sameHash(hash, k.secretHash())) {
        return Optional.empty();
      }
    }
    return Optional.of(new Principal(k.key().id(), k.key().role(), k.key().namespace()));
  }

  /** Creates a key in {@code namespace}; the secret is in the answer and nowhere else. */
  public CreatedApiKey create(String namespace, ApiKeySpec spec) {
    requireNamespace(namespace);
    for (int attempt = 0; attempt < 3; attempt++) {
      String id = tokens.newKeyId();
      String token = tokens.newToken(id);
      ApiKey key = new ApiKey(id, namespace, spec.name(), spec.role(), now(), false);
      StoredApiKey stored = new StoredApiKey(key, Tokens.hash(token));
      if (store.insert(stored)) {
        active.put(id, stored);
        LOG.info("api key {} ({}) created in namespace {}", id, spec.role(), namespace);
        return new CreatedApiKey(key, token);
      }
    }
    throw new IllegalStateException("three random key ids collided: the random source is broken");
  }

  /** The keys of a namespace, revoked ones included, without secrets. */
  public List<ApiKey> list(String namespace) {
    requireNamespace(namespace);
    return store.list(namespace).stream().map(StoredApiKey::key).toList();
  }

  /** Revokes a key of {@code namespace}; it stops working at once. 404 if there is no such active key. */
  public void revoke(String namespace, String keyId) {
    requireNamespace(namespace);
    if (!store.revoke(namespace, keyId)) {
      throw ApiException.notFound("key '" + keyId + "' in namespace '" + namespace + "'");
    }
    active.remove(keyId);
    LOG.info("api key {} revoked in namespace {}", keyId, namespace);
  }

  /** Forgets the keys of a deleted namespace (the store deleted them with it). */
  public void forgetNamespace(String namespace) {
    active.values().removeIf(k -> namespace.equals(k.key().namespace()));
  }

  private void requireNamespace(String namespace) {
    if (!namespaces.exists(namespace)) {
      throw ApiException.notFound("namespace '" + namespace + "'");
    }
  }

  private Instant now() {
    return clock.instant();
  }
}
