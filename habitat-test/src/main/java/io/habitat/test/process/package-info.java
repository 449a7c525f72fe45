/**
 * Members as separate JVMs on 127.0.0.1, for tests, samples and benchmarks that need a real crash
 * ({@code kill -9}), a real hang ({@code kill -STOP}) or a graceful leave.
 *
 * <p>The parent side is {@link io.habitat.test.process.ProcessLauncher}, which starts {@link
 * io.habitat.test.process.MemberProcess}es and reaps them; the child side is {@link
 * io.habitat.test.process.ChildProcess}, which a child's {@code main} installs. They talk over the
 * child's standard streams: commands go down stdin one line each, and the child reports {@link
 * io.habitat.test.process.ProcessEvent}s up stdout as {@code @habitat <wallMillis> <type> key=value
 * ...} lines. Signals need a POSIX {@code kill} command (Linux, macOS).
 *
 * <p>{@link io.habitat.test.process.FencedLog} is the resource such tests fence: a file that the
 * members' leaders append to with their term, and that refuses a term lower than one it accepted.
 */
@NullMarked
package io.habitat.test.process;

import org.jspecify.annotations.NullMarked;
