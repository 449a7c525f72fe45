package io.habitat.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The checked options of one gateway, as the builder hands them over. Immutable.
 *
 * @param address where to listen
 * @param token the token's digest, or null when write calls are disabled
 * @param threads request threads
 * @param maxEventStreams event streams open at once, 0 for none
 * @param pushInterval how often the census is checked for changes
 * @param prometheus a {@code PrometheusMeterRegistry}, or null; typed {@code Object} so that the
 *     gateway loads without micrometer-registry-prometheus
 */
public record GatewaySettings(
    InetSocketAddress address,
    Tokens.@Nullable Digest token,
    int threads,
    int maxEventStreams,
    Duration pushInterval,
    @Nullable Object prometheus) {}
