package io.tenantry.bench.peers.eureka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/** A stand-alone Eureka server with its defaults (self-preservation on, response cache on). */
@SpringBootApplication
@EnableEurekaServer
public class EurekaPeer {
  public static void main(String[] args) {
    SpringApplication.run(EurekaPeer.class, args);
  }
}
