package io.habitat.test.process;

import io.habitat.core.Term;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child that appends to a {@link FencedLog} until it is killed: {@code FencedWriterMain <file>
 * <writer> <term>}. Reports {@code progress accepted=A rejected=R} after every 50th attempt and
 * {@code rejected sequence=S highest=H} for its first rejection.
 */
public final class FencedWriterMain {
  private FencedWriterMain() {}

  public static void main(String[] args) {
    ChildProcess.install();
    Term term = Term.of(Long.parseLong(args[2]));
    FencedLog log = FencedLog.open(Path.of(args[0]), args[1]);
    ChildProcess.event("started", "pid", ProcessHandle.current().pid());
    boolean reportedRejection = false;
    while (true) {
      FencedLog.Append append = log.append(term);
      if (!append.accepted() && !reportedRejection) {
        reportedRejection = true;
        ChildProcess.event(
            "rejected", "sequence", append.sequence(), "highest", append.highestTerm());
      }
      if (append.sequence() % 50 == 0) {
        ChildProcess.event("progress", "accepted", log.accepted(), "rejected", log.rejected());
      }
      // Pacing, so that the other writers get the lock often on a small machine.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
