package io.tenantry.client.internal.route;

import static io.tenantry.client.internal.route.RouteFixtures.policy;
import static io.tenantry.client.internal.route.RouteFixtures.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterMatchTest {
  private static final String DEST = "'destinations':[{'subset':{'version':'v2'}}]";

  private static String name(RouteRule rule) {
    return rule == null ? null : rule.name();
  }

  @Test
  void match_firstRuleThatHoldsWins() {
    Router r = router("{'rules':[{'name':'gold','match':{'tiers':['gold']}," + DEST + "},"
        + "{'name':'rest'," + DEST + "}]}");
    assertThat(name(r.match("acme", "gold", "web", "GET", "/", HeaderLookup.NONE))).isEqualTo("gold");
    assertThat(name(r.match("acme", "free", "web", "GET", "/", HeaderLookup.NONE))).isEqualTo("rest");
    assertThat(name(r.match(null, null, null, "GET", "/", HeaderLookup.NONE))).isEqualTo("rest");
  }

  @Test
  void match_tenantAndTierConditionsFailACallWithoutThem() {
    Router r = router("{'rules':[{'name':'t','match':{'tenants':['acme']}," + DEST + "},"
        + "{'name':'g','match':{'tiers':['gold']}," + DEST + "}]}");
    assertThat(name(r.match("acme", null, "web", "GET", "/", HeaderLookup.NONE))).isEqualTo("t");
    assertThat(name(r.match("globex", "gold", "web", "GET", "/", HeaderLookup.NONE))).isEqualTo("g");
    assertThat(r.match(null, null, "web", "GET", "/", HeaderLookup.NONE)).isNull();
  }

  @Test
  void match_onHeaderValueWithAnyCaseInThePolicy() {
    Router r = router("{'rules':[{'name':'beta','match':{'headers':{'X-Beta':'on'}}," + DEST + "}]}");
    Map<String, String> on = Map.of("x-beta", "on");
    Map<String, String> off = Map.of("x-beta", "off");
    assertThat(name(r.match("acme", "gold", "web", "GET", "/", on::get))).isEqualTo("beta");
    assertThat(r.match("acme", "gold", "web", "GET", "/", off::get)).isNull();
    assertThat(r.match("acme", "gold", "web", "GET", "/", HeaderLookup.NONE)).isNull();
    assertThat(r.readsHeaders()).isTrue();
    assertThat(router("{'rules':[{'name':'any'," + DEST + "}]}").readsHeaders()).isFalse();
    assertThat(Router.NONE.readsHeaders()).isFalse();
  }

  @Test
  void match_onExactPathAndPrefix() {
    Router r = router("{'rules':[{'name':'p','match':{'paths':['/orders','/admin/*']}," + DEST + "}]}");
    assertThat(name(r.match(null, null, "web", "GET", "/orders", HeaderLookup.NONE))).isEqualTo("p");
    assertThat(r.match(null, null, "web", "GET", "/orders/7", HeaderLookup.NONE)).isNull();
    assertThat(name(r.match(null, null, "web", "GET", "/admin/users", HeaderLookup.NONE))).isEqualTo("p");
    assertThat(r.match(null, null, "web", "GET", "/admins", HeaderLookup.NONE)).isNull();
    assertThat(r.match(null, null, "web", "GET", null, HeaderLookup.NONE)).isNull();
  }

  @Test
  void match_onMethodAndCaller() {
    Router r = router("{'rules':[{'name':'w','match':{'methods':['POST','PUT'],'callers':['checkout']}," + DEST
        + "}]}");
    assertThat(name(r.match(null, null, "checkout", "POST", "/", HeaderLookup.NONE))).isEqualTo("w");
    assertThat(r.match(null, null, "checkout", "GET", "/", HeaderLookup.NONE)).isNull();
    assertThat(r.match(null, null, "web", "PUT", "/", HeaderLookup.NONE)).isNull();
  }

  @Test
  void match_everyConditionMustHold() {
    Router r = router("{'rules':[{'name':'all','match':{'tenants':['acme'],'tiers':['gold'],'callers':['web'],"
        + "'methods':['GET'],'paths':['/o*'],'headers':{'x-a':'1'}}," + DEST + "}]}");
    Map<String, String> h = Map.of("x-a", "1");
    assertThat(name(r.match("acme", "gold", "web", "GET", "/orders", h::get))).isEqualTo("all");
    assertThat(r.match("acme", "gold", "web", "GET", "/users", h::get)).isNull();
    assertThat(r.match("acme", "free", "web", "GET", "/orders", h::get)).isNull();
  }

  @Test
  void timeout_isTheRulesAndNoneInDryRun() {
    String spec = "{'rules':[{'name':'slow','timeout':'1500ms'," + DEST + "},{'name':'x'," + DEST + "}]}";
    RouteRule slow = router(spec).match(null, null, "web", "GET", "/", HeaderLookup.NONE);
    assertThat(slow.timeout()).isEqualTo(Duration.ofMillis(1500));
    Router dry = Router.compile("order", policy("routes", true, spec), null);
    assertThat(dry.match(null, null, "web", "GET", "/", HeaderLookup.NONE).timeout()).isNull();
  }

  @Test
  void compile_refusesAnotherKindAndABadSpec() {
    Policy limit = new Policy("shop", PolicyKind.RATE_LIMIT, "lim", "order", false, null,
        policy("x", false, "{'rules':[]}").spec(), 1, 1, "k", java.time.Instant.EPOCH);
    assertThatThrownBy(() -> Router.compile("order", limit, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy 'lim': rate-limit (expected: route)");
    assertThatThrownBy(() -> router("{'rules':[{'name':'a','destinations':[]}]}"))
        .isInstanceOf(ValidationException.class);
    assertThat(Router.compile("order", null, "zone-a")).isSameAs(Router.NONE);
  }
}
