package io.habitat.jgroups;

import io.habitat.test.compliance.TransportComplianceSuite;
import io.habitat.test.compliance.TransportFixture;

/**
 * The transport contract on keyed rings: views, delivery, order, crashes (FD_SOCK2 and
 * VERIFY_SUSPECT2 under the encryption), partitions and merges behave as without a key, and no
 * member drops a message of another.
 */
class KeyedJGroupsTransportComplianceTest extends TransportComplianceSuite {

  @Override
  protected TransportFixture createFixture() {
    return new JGroupsTransportFixture(true);
  }
}
