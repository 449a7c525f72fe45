package io.habitat.test.process;

import io.habitat.core.HabitatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Starts members as separate JVMs on this machine and reaps them: every child it started is killed
 * by {@link #close()}, by a JVM shutdown hook if the parent exits first, and by the child itself
 * once it outlives its max lifetime ({@link ChildProcess} enforces it). Only the PIDs this launcher
 * started are ever signalled.
 *
 * <pre>{@code
 * try (ProcessLauncher launcher = ProcessLauncher.builder().maxLifetime(Duration.ofMinutes(1)).build()) {
 *   MemberProcess a = launcher.start("a", MemberMain.class.getName(), List.of("--group", "redis"));
 *   a.awaitEvent("started", Duration.ofSeconds(30));
 *   a.kill();
 * }
 * }</pre>
 *
 * <p>Children run {@code <java> <jvm options> -D<lifetime> -D<name> -cp <classpath> <main> <args>},
 * with stdout read by the parent and stderr in {@code <log directory>/<name>.log}. The defaults
 * start a small JVM fast: the running JVM's {@code java}, its class path, {@link
 * #DEFAULT_JVM_OPTIONS}, five minutes of life, and a new temporary log directory. Log files stay
 * after {@link #close()}, for the post-mortem of a failed run.
 *
 * <p>Thread-safe. {@link #start} blocks only while the JVM is spawned; {@link #close()} blocks
 * until every child has exited.
 */
public final class ProcessLauncher implements AutoCloseable {

  /** Small, fast-starting child JVMs that prefer IPv4 (127.0.0.1). */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-Djava.net.preferIPv4Stack=true");

  /** How long a child lives at most unless the builder says otherwise. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern MAIN_CLASS = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.]*");

  private final Path javaExecutable;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Duration maxLifetime;
  private final Path logDirectory;
  private final List<MemberProcess> processes = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private ProcessLauncher(Builder builder, Path logDirectory) {
    this.javaExecutable = builder.javaExecutable;
    this.classpath = builder.classpath;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.maxLifetime = builder.maxLifetime;
    this.logDirectory = logDirectory;
    this.shutdownHook = new Thread(this::reapAll, "habitat-process-launcher-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A builder with the defaults described in the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  /** A launcher with every default. */
  public static ProcessLauncher ofDefaults() {
    return builder().build();
  }

  /**
   * Starts {@code java ... mainClass args} as a child JVM. The main should call {@link
   * ChildProcess#install()}.
   *
   * @param name the child's name, unique in this launcher: 1 to 64 ASCII letters, digits, {@code
   *     .}, {@code -} or {@code _}; it names the log file
   * @throws IllegalArgumentException if the name is invalid or taken, or the main class is not a
   *     class name
   * @throws IllegalStateException if the launcher is closed
   * @throws HabitatException if the JVM cannot be started
   */
  public MemberProcess start(String name, String mainClass, List<String> args) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "process name '"
              + name
              + "' is not allowed: use 1 to 64 ASCII letters, digits, '.', '-' or '_', starting"
              + " with a letter or a digit");
    }
    if (!MAIN_CLASS.matcher(mainClass).matches()) {
      throw new IllegalArgumentException(
          "main class '" + mainClass + "' is not a class name (for example com.example.Main)");
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable.toString());
    command.addAll(jvmOptions);
    command.add("-D" + ChildProcess.MAX_LIFETIME_PROPERTY + "=" + maxLifetime.toMillis());
    command.add("-D" + ChildProcess.NAME_PROPERTY + "=" + name);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    for (String arg : args) {
      command.add(Objects.requireNonNull(arg, "argument"));
    }
    Path logFile = logDirectory.resolve(name + ".log");
    synchronized (processes) {
      if (closed) {
        throw new IllegalStateException("the launcher is closed; build a new one");
      }
      for (MemberProcess process : processes) {
        if (process.name().equals(name)) {
          throw new IllegalArgumentException(
              "a process named '" + name + "' was already started by this launcher; pick another");
        }
      }
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(logFile.toFile()))
                .start();
      } catch (IOException e) {
        throw new HabitatException(
            "cannot start process " + name + " with " + javaExecutable + ": " + e, e);
      }
      MemberProcess member = new MemberProcess(name, process, logFile);
      processes.add(member);
      return member;
    }
  }

  /** The processes started so far, alive or not, in start order. */
  public List<MemberProcess> processes() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  /** Where the children's stderr files are. */
  public Path logDirectory() {
    return logDirectory;
  }

  /** The max lifetime each child is given. */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  /**
   * Resumes frozen children, kills every child still alive and blocks until each has exited. Later
   * {@link #start} calls fail. Idempotent.
   */
  @Override
  public void close() {
    try {
      reapAll();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down and runs the hook anyway
      }
    }
  }

  private void reapAll() {
    List<MemberProcess> all;
    synchronized (processes) {
      closed = true;
      all = List.copyOf(processes);
    }
    RuntimeException failure = null;
    for (MemberProcess process : all) {
      try {
        process.reap();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Configures a {@link ProcessLauncher}. Each option may be set once; values are checked when set.
   * Not thread-safe.
   */
  public static final class Builder {
    private Path javaExecutable =
        Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
    private String classpath = System.getProperty("java.class.path", "");
    private List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
    private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
    private @Nullable Path logDirectory;
    private final List<String> set = new ArrayList<>();

    private Builder() {}

    /** The {@code java} to run; default: the running JVM's. */
    public Builder javaExecutable(Path javaExecutable) {
      once("javaExecutable");
      if (!Files.isExecutable(javaExecutable)) {
        throw new IllegalArgumentException(
            "javaExecutable " + javaExecutable + " is not an executable file");
      }
      this.javaExecutable = javaExecutable;
      return this;
    }

    /** The children's class path; default: the running JVM's {@code java.class.path}. */
    public Builder classpath(String classpath) {
      once("classpath");
      if (classpath.isBlank()) {
        throw new IllegalArgumentException("classpath is blank: name at least one entry");
      }
      this.classpath = classpath;
      return this;
    }

    /**
     * The JVM options, replacing {@link #DEFAULT_JVM_OPTIONS}; each must start with {@code -}. Use
     * {@link #addJvmOptions} to keep the defaults.
     */
    public Builder jvmOptions(List<String> options) {
      once("jvmOptions");
      this.jvmOptions = new ArrayList<>(checkOptions(options));
      return this;
    }

    /** JVM options added after the current ones (the defaults unless replaced). */
    public Builder addJvmOptions(String... options) {
      jvmOptions.addAll(checkOptions(List.of(options)));
      return this;
    }

    /** How long each child may live; it halts itself after that. Default: five minutes. */
    public Builder maxLifetime(Duration maxLifetime) {
      once("maxLifetime");
      if (maxLifetime.isNegative() || maxLifetime.toMillis() < 1) {
        throw new IllegalArgumentException("maxLifetime must be at least 1 ms, was " + maxLifetime);
      }
      this.maxLifetime = maxLifetime;
      return this;
    }

    /** Where each child's stderr goes ({@code <name>.log}); created if missing. */
    public Builder logDirectory(Path logDirectory) {
      once("logDirectory");
      this.logDirectory = Objects.requireNonNull(logDirectory, "logDirectory");
      return this;
    }

    /**
     * The launcher.
     *
     * @throws HabitatException if the log directory cannot be created
     */
    public ProcessLauncher build() {
      if (classpath.isBlank()) {
        throw new IllegalArgumentException(
            "classpath is blank (java.class.path is empty): set it with classpath(...)");
      }
      Path directory;
      try {
        directory =
            logDirectory == null
                ? Files.createTempDirectory("habitat-processes-")
                : Files.createDirectories(logDirectory);
      } catch (IOException e) {
        throw new HabitatException("cannot create the log directory " + logDirectory + ": " + e, e);
      }
      return new ProcessLauncher(this, directory);
    }

    private void once(String option) {
      if (set.contains(option)) {
        throw new IllegalStateException(option + " was already set");
      }
      set.add(option);
    }

    private static List<String> checkOptions(List<String> options) {
      for (String option : options) {
        if (option == null || !option.startsWith("-") || option.isBlank()) {
          throw new IllegalArgumentException(
              "JVM option '" + option + "' is not allowed: each option starts with '-'");
        }
      }
      return options;
    }

    private static boolean isWindows() {
      return System.getProperty("os.name", "").startsWith("Windows");
    }
  }
}
