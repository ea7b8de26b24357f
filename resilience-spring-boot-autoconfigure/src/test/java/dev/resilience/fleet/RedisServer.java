package dev.resilience.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) for the fleet mode tests: started on 127.0.0.1 on a free port, in a
 * directory of its own, without persistence ({@code --save "" --appendonly no}); {@link #start()} returns once it
 * answers PING. {@link #kill()} ends it with SIGKILL (an outage as a crash makes it) and {@link #restart()} starts it
 * again on the same port, empty. Plain Java (no JUnit type), so that the benchmarks can start one too:
 *
 * <pre>{@code
 * static final RedisServer redis = RedisServer.start();
 * @AfterAll static void stop() { redis.close(); }
 * ... "spring.data.redis.port=" + redis.port()
 * }</pre>
 *
 * Reached from other modules through this module's test-jar ({@code <type>test-jar</type>}, test scope).
 */
public final class RedisServer implements AutoCloseable {

    private static final long STARTUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final int port;
    private final Path directory;
    private Process process;

    private RedisServer(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** A new server on a free port, answering PING. */
    public static RedisServer start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-server-");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        RedisServer server = new RedisServer(freePort(), directory);
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Whether the process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Ends the server at once with SIGKILL, as a crash would; connected clients see their connection reset. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port (empty: nothing was saved) and waits until it answers PING. */
    public synchronized void restart() {
        kill();
        launch();
    }

    /** Sends one command (inline form) and answers the server's reply line, for assertions. */
    public String command(String... words) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() {
        kill();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            // a temporary directory left behind is harmless
        }
    }

    private synchronized void launch() {
        ProcessBuilder builder = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("redis.log").toFile()));
        try {
            process = builder.start();
        } catch (IOException ex) {
            throw new IllegalStateException("Cannot start redis-server (Debian: apt-get install redis-server; the "
                    + "fleet mode tests need a real one): " + ex.getMessage(), ex);
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT_NANOS;
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                String log = "";
                try {
                    log = Files.readString(directory.resolve("redis.log"));
                } catch (IOException ignored) {
                    // the log is only for the message
                }
                process.destroyForcibly();
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING:\n" + log);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private boolean answersPing() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    private static String readReply(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        in.read(); // '\n'
        if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
            int length = Integer.parseInt(line.substring(1));
            byte[] bulk = in.readNBytes(length + 2);
            return new String(bulk, 0, length, StandardCharsets.UTF_8);
        }
        return line.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
