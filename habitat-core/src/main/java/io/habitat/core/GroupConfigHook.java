package io.habitat.core;

/**
 * Called when a newer group config reaches this member (applied here, gossiped from another member,
 * or found in the data directory at start-up). Runs on the service's hook executor in event order;
 * versions it sees only grow. Parse the document with {@link GroupConfig#document()} in its {@link
 * GroupConfig#format()}.
 */
@FunctionalInterface
public interface GroupConfigHook {

  /**
   * Applies the document.
   *
   * @param config the newest document
   * @throws Exception on failure: logged and counted
   */
  void changed(GroupConfig config) throws Exception;
}
