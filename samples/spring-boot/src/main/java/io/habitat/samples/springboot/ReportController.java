package io.habitat.samples.springboot;

import io.habitat.core.Census;
import io.habitat.core.Service;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /reports}: this member's role and the leader-only job's runs here. */
@RestController
public class ReportController {

  private final Service service;
  private final ReportJob job;

  ReportController(Service service, ReportJob job) {
    this.service = service;
    this.job = job;
  }

  /** This member, its role and term, and the job's runs on it. */
  @GetMapping("/reports")
  public Map<String, @Nullable Object> reports() {
    Census census = service.census();
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("member", census.self().value());
    out.put("role", census.role().configName());
    out.put("term", census.term().value());
    out.put("leader", census.leader() == null ? null : census.leader().value());
    out.put("runs", job.runs());
    return out;
  }
}
