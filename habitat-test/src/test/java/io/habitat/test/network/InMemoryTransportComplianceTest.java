package io.habitat.test.network;

import io.habitat.test.compliance.TransportComplianceSuite;
import io.habitat.test.compliance.TransportFixture;

class InMemoryTransportComplianceTest extends TransportComplianceSuite {

  @Override
  protected TransportFixture createFixture() {
    return new InMemoryTransportFixture(42);
  }
}
