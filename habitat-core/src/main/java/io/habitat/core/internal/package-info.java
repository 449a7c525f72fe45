/** Implementation. Not an API: anything here may change in any release. */
@NullMarked
package io.habitat.core.internal;

import org.jspecify.annotations.NullMarked;
