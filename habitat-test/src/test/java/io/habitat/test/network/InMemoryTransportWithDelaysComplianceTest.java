package io.habitat.test.network;

import io.habitat.test.compliance.TransportComplianceSuite;
import io.habitat.test.compliance.TransportFixture;
import java.time.Duration;

/** The transport contract with every message delayed by a seeded draw, per-sender order kept. */
class InMemoryTransportWithDelaysComplianceTest extends TransportComplianceSuite {

  @Override
  protected TransportFixture createFixture() {
    InMemoryTransportFixture fixture = new InMemoryTransportFixture(7);
    fixture.network().faults(Faults.none().withDelay(Duration.ofMillis(1), Duration.ofMillis(30)));
    return fixture;
  }
}
