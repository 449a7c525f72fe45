package io.habitat.jgroups;

import io.habitat.test.compliance.TransportComplianceSuite;
import io.habitat.test.compliance.TransportFixture;

/** The transport contract, checked on real JGroups channels in this JVM. */
class JGroupsTransportComplianceTest extends TransportComplianceSuite {

  @Override
  protected TransportFixture createFixture() {
    return new JGroupsTransportFixture();
  }
}
