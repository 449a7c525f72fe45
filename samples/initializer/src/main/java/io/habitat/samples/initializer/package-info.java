/**
 * The initializer sample: a small replicated key-value service ({@link
 * io.habitat.samples.initializer.KvNode}) in the {@code initializer} topology. The first leader
 * creates the initial data set in its init hook; the followers wait until it has and reports
 * healthy, then copy the data from the leader and follow its changes, and copy again from every new
 * leader. {@link io.habitat.samples.initializer.InitializerDemo} runs three nodes and shows it.
 */
@NullMarked
package io.habitat.samples.initializer;

import org.jspecify.annotations.NullMarked;
