package io.tenantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Json;
import io.tenantry.api.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertSpecTest {
  private static JsonNode json(String s) throws Exception {
    return Json.newMapper().readTree(s.replace('\'', '"'));
  }

  private static AlertSpec parse(String spec) throws Exception {
    return (AlertSpec) PolicySpecs.parse(PolicyKind.ALERT, json(spec));
  }

  private static ValidationException refused(String spec) {
    return catchThrowableOfType(ValidationException.class, () -> parse(spec));
  }

  /** A spec of one rule with {@code fields} added to a valid error-rate rule. */
  private static String rule(String fields) {
    return "{'rules':[{'name':'r','metric':'error-rate','above':0.1" + (fields.isEmpty() ? "" : "," + fields) + "}]}";
  }

  @Test
  void fillsDefaults() throws Exception {
    AlertSpec.Rule r = parse(rule("")).rules().get(0);

    assertThat(r.windowDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.holdForDuration()).isZero();
    assertThat(r.minCalls()).isEqualTo(10);
    assertThat(r.severity()).isEqualTo(AlertSpec.Severity.WARNING);
    assertThat(r.tenant()).isNull();
    assertThat(r.instance()).isNull();
    assertThat(r.eachInstance()).isFalse();
    assertThat(parse(rule("")).notifiers()).isEmpty();
  }

  @Test
  void readsEveryField() throws Exception {
    AlertSpec spec = parse("{'rules':[{'name':'slow','metric':'latency','percentile':'p99.9','above':250,'window':'1m',"
        + "'minCalls':0,'holdFor':'30s','tenant':'*','instance':'*','severity':'critical'}],"
        + "'notifiers':[{'url':'https://hooks.example.com/alerts?team=pay'}]}");
    AlertSpec.Rule r = spec.rules().get(0);

    assertThat(r.metric()).isEqualTo(AlertSpec.Metric.LATENCY);
    assertThat(r.quantile()).isEqualTo(0.999);
    assertThat(r.eachTenant()).isTrue();
    assertThat(r.eachInstance()).isTrue();
    assertThat(r.holdForDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.notifiers()).extracting(AlertSpec.Notifier::url).containsExactly("https://hooks.example.com/alerts?team=pay");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{'rules':[]}                                                   | spec.rules",
      "{}                                                             | spec.rules",
      "{'rules':[null]}                                               | spec.rules[0]",
      "{'rules':[{'name':'r','metric':'error-rate'}]}                 | spec.rules[0].above",
      "{'rules':[{'name':'r','above':1}]}                             | spec.rules[0].metric",
      "{'rules':[{'name':'R','metric':'error-rate','above':0.1}]}     | spec.rules[0].name",
      "{'rules':[{'name':'r','metric':'errors','above':0.1}]}         | spec.rules[0].metric",
      "{'rules':[{'name':'r','metric':'error-rate','above':1.5}]}     | spec.rules[0].above",
      "{'rules':[{'name':'r','metric':'error-rate','above':-0.1}]}    | spec.rules[0].above",
      "{'rules':[{'name':'r','metric':'error-rate','above':'0.1'}]}   | spec.rules[0].above",
      "{'rules':[{'name':'r','metric':'rejections','above':1e300}]}   | spec.rules[0].above",
      "{'rules':[{'name':'r','metric':'latency','above':100}]}        | spec.rules[0].percentile",
      "{'rules':[{'name':'r','metric':'latency','percentile':'p100','above':100}]} | spec.rules[0].percentile",
      "{'rules':[{'name':'r','metric':'latency','percentile':'p99','above':1e10}]} | spec.rules[0].above",
      "{'rules':[{'name':'r','metric':'error-rate','percentile':'p99','above':0.1}]} | spec.rules[0].percentile",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'window':'2h'}]}  | spec.rules[0].window",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'window':'1s'}]}  | spec.rules[0].window",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'window':'5 m'}]} | spec.rules[0].window",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'holdFor':'2h'}]} | spec.rules[0].holdFor",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'minCalls':-1}]}  | spec.rules[0].minCalls",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'tenant':'Acme'}]} | spec.rules[0].tenant",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'tenant':'each'}],'x':1} | spec.x",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':''}]}  | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':'-p1'}]} | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':'p 1'}]} | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':'**'}]} | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':7}]}   | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'instance':['p1']}]} | spec.rules[0].instance",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'severity':'page'}]} | spec.rules[0].severity",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1,'for':'1m'}]}     | spec.rules[0].for",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1},{'name':'r','metric':'rejections','above':1}]} | spec.rules[1].name",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'ftp://h/x'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'file:///etc/passwd'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'https://u:p@h/x'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'http:relative'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'https://h/x#frag'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'https://h/a b'}]} | spec.notifiers[0].url",
      "{'rules':[{'name':'r','metric':'error-rate','above':0.1}],'notifiers':[{'url':'/hook'}]} | spec.notifiers[0].url",
  })
  void refusesHostileValues_namingTheField(String spec, String field) {
    ValidationException e = refused(spec);

    assertThat(e).as(spec).isNotNull();
    assertThat(e.field()).isEqualTo(field);
  }

  @Test
  void refusesTooManyRulesAndNotifiers() {
    StringBuilder rules = new StringBuilder("{'rules':[");
    for (int i = 0; i <= AlertSpec.MAX_RULES; i++) {
      rules.append(i == 0 ? "" : ",").append("{'name':'r").append(i).append("','metric':'rejections','above':1}");
    }
    assertThat(refused(rules + "]}").field()).isEqualTo("spec.rules");

    String hook = "{'url':'https://h/x'}";
    String notifiers = String.join(",", java.util.Collections.nCopies(AlertSpec.MAX_NOTIFIERS + 1, hook));
    assertThat(refused("{'rules':[{'name':'r','metric':'rejections','above':1}],'notifiers':[" + notifiers + "]}").field())
        .isEqualTo("spec.notifiers");
    String huge = "{'rules':[{'name':'r','metric':'rejections','above':1}],'notifiers':[{'url':'https://h/"
        + "x".repeat(AlertSpec.Notifier.MAX_URL) + "'}]}";
    assertThat(refused(huge).field()).isEqualTo("spec.notifiers[0].url");
  }

  @Test
  void aTenantNamedEachIsJustATenant() throws Exception {
    AlertSpec.Rule r = parse(rule("'tenant':'each'")).rules().get(0);

    assertThat(r.eachTenant()).isFalse();
    assertThat(r.tenant()).isEqualTo("each");
  }

  @Test
  void anInstanceIsAnInstanceId_orEachInstance() throws Exception {
    AlertSpec.Rule one = parse(rule("'instance':'Payment-2.eu_1:8080','tenant':'acme'")).rules().get(0);
    assertThat(one.instance()).isEqualTo("Payment-2.eu_1:8080");
    assertThat(one.eachInstance()).isFalse();
    assertThat(one.tenant()).isEqualTo("acme");

    assertThat(parse(rule("'instance':'*'")).rules().get(0).eachInstance()).isTrue();
    assertThat(refused(rule("'instance':'" + "i".repeat(129) + "'")).field()).isEqualTo("spec.rules[0].instance");
  }
}
