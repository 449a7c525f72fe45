package io.habitat.http.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.habitat.core.event.HabitatEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events ({@code /events}): every open stream gets the census at once, then every
 * supervisor event and every census that differs from the last one pushed.
 *
 * <p><b>Threads.</b> Each stream is written by a thread of its own (at most {@code maxStreams}), so
 * a slow client stalls only itself; its queue is bounded, and a client that falls {@value #QUEUE}
 * messages behind is disconnected (its browser reconnects and starts from a fresh census). A stream
 * with nothing to send gets a comment every {@value #KEEP_ALIVE_SECONDS} s, which keeps idle
 * connections open and frees the slot of a client that left within a few seconds (the write after
 * it left fails). One ticker thread checks the census every push interval. {@link #onEvent} only
 * queues, so the supervisor's event thread is never held up.
 */
final class EventStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  private static final int QUEUE = 256;
  private static final int KEEP_ALIVE_SECONDS = 2;
  private static final String CLOSE = "";

  private final Supplier<String> censusJson;
  private final int maxStreams;
  private final Semaphore slots;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ExecutorService writers;
  private final ScheduledExecutorService ticker;
  private final ScheduledFuture<?> pushes;
  private final Object pushLock = new Object();
  private @Nullable String lastCensus;
  private volatile boolean closed;

  EventStreams(Supplier<String> censusJson, int maxStreams, Duration pushInterval, String name) {
    this.censusJson = censusJson;
    this.maxStreams = maxStreams;
    this.slots = new Semaphore(maxStreams);
    AtomicInteger n = new AtomicInteger();
    this.writers =
        Executors.newFixedThreadPool(
            Math.max(1, maxStreams), r -> daemon(r, name + "-stream-" + n.incrementAndGet()));
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-push"));
    long every = pushInterval.toMillis();
    this.pushes =
        ticker.scheduleWithFixedDelay(
            this::pushCensusIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  /** Streams open right now. */
  int open() {
    return clients.size();
  }

  /**
   * Takes over the exchange as a new stream, or refuses it.
   *
   * @throws HttpProblem 503 when {@code maxStreams} are open (or none are allowed)
   */
  void open(HttpExchange ex) throws IOException {
    if (closed || !slots.tryAcquire()) {
      throw new HttpProblem(
          503,
          maxStreams == 0
              ? "event streams are turned off on this gateway"
              : "all " + maxStreams + " event streams of this gateway are in use",
          "poll GET /census instead (the dashboard does so by itself), or raise"
              + " HabitatGateway.builder(...).maxEventStreams(n)");
    }
    Client client = new Client(ex);
    try {
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      h.set("Cache-Control", "no-store");
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Accel-Buffering", "no");
      ex.sendResponseHeaders(200, 0);
      clients.add(client);
      client.offer("retry: 1000\n\n");
      client.offer(message("census", censusJson.get()));
      writers.execute(client);
    } catch (IOException | RuntimeException e) {
      clients.remove(client);
      slots.release();
      ex.close();
      throw e;
    }
  }

  /** Queues an event for every stream, and a census check right after it. Never blocks. */
  void onEvent(HabitatEvent event) {
    if (closed) {
      return;
    }
    broadcast(
        message(
            "habitat",
            Exchanges.MAPPER.writeValueAsString(Views.event(event, System.currentTimeMillis()))));
    try {
      ticker.execute(this::pushCensusIfChanged);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void pushCensusIfChanged() {
    try {
      String json = censusJson.get();
      synchronized (pushLock) {
        if (json.equals(lastCensus)) {
          return;
        }
        lastCensus = json;
      }
      broadcast(message("census", json));
    } catch (RuntimeException e) {
      log.warn("gateway: could not push the census to event streams", e);
    }
  }

  private void broadcast(String message) {
    for (Client c : clients) {
      c.offer(message);
    }
  }

  private static String message(String event, String json) {
    return "event: " + event + "\ndata: " + json + "\n\n";
  }

  /** Ends every stream and stops the threads; waits up to 2 s for the writers. */
  @Override
  public void close() {
    closed = true;
    pushes.cancel(false);
    ticker.shutdownNow();
    for (Client c : clients) {
      c.end();
    }
    writers.shutdownNow();
    try {
      if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
        log.warn("gateway: event stream threads did not stop within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One open stream, written by its own thread. */
  private final class Client implements Runnable {
    private final HttpExchange ex;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean overflowed;
    private volatile boolean ending;

    Client(HttpExchange ex) {
      this.ex = ex;
    }

    void offer(String message) {
      if (ending) {
        return;
      }
      if (!queue.offer(message)) {
        overflowed = true;
        end();
      }
    }

    /** Makes the writer stop at its next message; what was queued is dropped. */
    void end() {
      ending = true;
      queue.clear();
      queue.offer(CLOSE);
    }

    @Override
    public void run() {
      try (OutputStream out = ex.getResponseBody()) {
        while (!closed) {
          String message = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
          if (message == null) {
            // also how a closed connection is noticed: the write after the peer left fails
            message = ": keep-alive\n\n";
          } else if (CLOSE.equals(message)) {
            break;
          }
          out.write(message.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        log.debug("gateway: event stream to {} ended: {}", ex.getRemoteAddress(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (overflowed) {
          log.info(
              "gateway: event stream to {} fell {} messages behind and was closed",
              ex.getRemoteAddress(),
              QUEUE);
        }
        clients.remove(this);
        slots.release();
        ex.close();
      }
    }
  }
}
