package io.tenantry.bench;

import java.net.InetSocketAddress;

/**
 * Eureka's REST API as its own client uses it: register with a POST of the instance's JSON, renew with
 * a PUT, read an application. Instance {@code i} is {@code i-<i>} of application {@code SVC-<i/10>}.
 */
final class EurekaRegistry implements RegistryTarget {
  static final String JSON = "application/json";

  private final InetSocketAddress address;
  private final Requests requests;
  /** A client keeps its instance's dirty timestamp until the instance changes, and renews with it. */
  private final long lastDirty = System.currentTimeMillis();

  EurekaRegistry(InetSocketAddress address) {
    this.address = address;
    this.requests = new Requests(address.getHostString() + ":" + address.getPort(), null, JSON);
  }

  @Override
  public String system() {
    return "eureka";
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void prepare() {
    // Eureka needs nothing created first.
  }

  @Override
  public byte[] register(long i) {
    return requests.send("POST", "/eureka/apps/" + app(i), JSON, instanceJson(app(i), "i-" + i,
        "10.0." + (i / 250 % 250) + "." + (i % 250 + 1), "zone-" + (i % 3), lastDirty));
  }

  @Override
  public byte[] heartbeat(long i) {
    return requests.send("PUT", "/eureka/apps/" + app(i) + "/i-" + i + "?status=UP&lastDirtyTimestamp=" + lastDirty,
        JSON, null);
  }

  @Override
  public byte[] deregister(long i) {
    return requests.send("DELETE", "/eureka/apps/" + app(i) + "/i-" + i, JSON, null);
  }

  @Override
  public byte[] read(long i) {
    return requests.get("/eureka/apps/" + app(i));
  }

  Requests requests() {
    return requests;
  }

  /** The instance document a Eureka client sends, with the same data as Tenantry's registration. */
  static String instanceJson(String app, String id, String ip, String zone, long lastDirty) {
    return "{\"instance\":{\"instanceId\":\"" + id + "\",\"hostName\":\"" + ip + "\",\"app\":\"" + app
        + "\",\"ipAddr\":\"" + ip + "\",\"status\":\"UP\",\"overriddenStatus\":\"UNKNOWN\","
        + "\"port\":{\"$\":8080,\"@enabled\":\"true\"},\"securePort\":{\"$\":443,\"@enabled\":\"false\"},"
        + "\"countryId\":1,\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\","
        + "\"name\":\"MyOwn\"},\"leaseInfo\":{\"renewalIntervalInSecs\":30,\"durationInSecs\":600},"
        + "\"metadata\":{\"env\":\"bench\",\"version\":\"v1\",\"zone\":\"" + zone + "\"},"
        + "\"vipAddress\":\"" + app.toLowerCase() + "\",\"secureVipAddress\":\"" + app.toLowerCase() + "\","
        + "\"isCoordinatingDiscoveryServer\":\"false\",\"lastUpdatedTimestamp\":\"" + lastDirty
        + "\",\"lastDirtyTimestamp\":\"" + lastDirty + "\"}}";
  }

  static String app(long i) {
    return "SVC-" + RegistryTarget.service(i);
  }
}
