package io.habitat.samples.springboot;

import io.habitat.core.Term;
import io.habitat.spring.HabitatLeadership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that only the leader runs. Every member schedules it; {@link
 * HabitatLeadership#runIfLeader} runs it on the leader alone, with the term, and interrupts it if
 * leadership ends while it runs. A real job would hand the term to whatever it writes to (a row
 * with the term, a conditional write), so a replaced leader's late write is refused.
 */
@Component
public class ReportJob {

  private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

  private static final int KEPT = 20;

  /** One run: when, and in which term. */
  public record Run(Instant at, long term) {}

  private final HabitatLeadership leadership;
  private final List<Run> runs = new ArrayList<>();

  ReportJob(HabitatLeadership leadership) {
    this.leadership = leadership;
  }

  /** Runs every {@code sample.report.interval} (10 s by default), on the leader only. */
  @Scheduled(fixedDelayString = "${sample.report.interval:10s}")
  void report() {
    leadership.runIfLeader(lead -> record(lead.term()));
  }

  private synchronized void record(Term term) {
    if (runs.size() == KEPT) {
      runs.remove(0);
    }
    runs.add(new Run(Instant.now(), term.value()));
    log.info("report written as the leader of term {}", term);
  }

  /** The last runs on this member, oldest first. */
  public synchronized List<Run> runs() {
    return List.copyOf(runs);
  }
}
