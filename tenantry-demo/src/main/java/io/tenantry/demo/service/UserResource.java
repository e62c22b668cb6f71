package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Names;
import io.tenantry.demo.service.Records.NewUser;
import io.tenantry.demo.service.Records.User;
import io.tenantry.demo.service.Router.Response;
import java.util.function.Supplier;

/** The user service: {@code POST /users}, {@code GET /users/{id}}, each tenant's users apart. Thread-safe. */
final class UserResource implements Resource {
  static final String KIND = "user";

  private final TenantStore<User> users = new TenantStore<>();
  private final Supplier<String> ids;
  private final Counters counters;
  private final Replicator replicator;
  private final ObjectMapper json;

  UserResource(Supplier<String> ids, Counters counters, Replicator replicator, ObjectMapper json) {
    this.ids = ids;
    this.counters = counters;
    this.replicator = replicator;
    this.json = json;
  }

  @Override
  public void routes(Router router) {
    router.tenantRoute("POST", "/users", (tenant, request) -> {
      NewUser n = request.body(NewUser.class);
      User user = create(tenant, n);
      replicator.replicate(tenant, KIND, user.id(), user);
      return new Response(201, user);
    });
    router.tenantRoute("GET", "/users/([^/]+)", (tenant, request) -> new Response(200, find(tenant, request.param(1))));
  }

  User create(String tenant, NewUser n) {
    User user = new User("u-" + ids.get(), n.name(), n.email());
    users.putIfAbsent(tenant, user.id(), user);
    counters.increment(tenant, "usersCreated");
    return user;
  }

  User find(String tenant, String id) {
    Names.id("id", id);
    return users.get(tenant, id).orElseThrow(() -> HttpProblem.notFound("user", id));
  }

  @Override
  public void apply(String tenant, Replicator.Write write) throws JsonProcessingException {
    if (!KIND.equals(write.kind())) {
      throw HttpProblem.badRequest("kind", "'" + write.kind() + "' (expected: " + KIND + ")");
    }
    User user = json.treeToValue(write.record(), User.class);
    users.putIfAbsent(tenant, user.id(), user);
  }
}
