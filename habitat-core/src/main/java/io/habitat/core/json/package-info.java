/**
 * The census and bound groups as JSON, for HTTP gateways, status endpoints and logs: {@link
 * io.habitat.core.json.CensusJson}. Uses Jackson 3 only; nothing here reaches into the
 * implementation.
 */
@NullMarked
package io.habitat.core.json;

import org.jspecify.annotations.NullMarked;
