package dev.resilience.integration;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Timeout;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What the interrupt of a synchronous {@code @Timeout} can and cannot cut, against a server on 127.0.0.1 that
 * accepts every connection and never answers.
 * <ul>
 * <li>A read on a classic {@link Socket} (on a platform thread) ignores the interrupt: the call ends only when the
 * socket's own {@code SO_TIMEOUT} expires, and only then does the caller get {@link TimeoutExceededException}.</li>
 * <li>A read on an NIO {@link SocketChannel} and the JDK {@link HttpClient}'s {@code send()} end at the deadline.</li>
 * </ul>
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncTimeoutBlockingIoTest {

    /** The deadline of the report. */
    private static final Duration DEADLINE = Duration.ofMillis(200);

    /** The client side's own timeout: {@code SO_TIMEOUT} of the classic socket, the HTTP client's request timeout. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

    /** Generous on a shared 2-core machine, and still well below {@link #CLIENT_TIMEOUT}. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(BlockingIo.class)
            .withPropertyValues("resilience.timeout.instances.io.timeout-duration=" + DEADLINE.toMillis() + "ms");

    private SilentServer server;

    @BeforeEach
    void startSilentServer() throws IOException {
        server = new SilentServer();
    }

    @AfterEach
    void stopSilentServerAndClearInterruptFlag() throws Exception {
        try {
            server.close();
        }
        finally {
            Thread.interrupted();
        }
    }

    @Test
    void aClassicSocketReadIsNotCutAtTheDeadlineOnlyBySoTimeout() {
        runner.run(context -> {
            BlockingIo io = context.getBean(BlockingIo.class);

            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> io.readSocket(server.port(), CLIENT_TIMEOUT));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // the deadline passed long before, so the caller still gets the timeout, never the socket's exception...
            assertThat(thrown).isInstanceOf(TimeoutExceededException.class).hasMessageContaining("'io'");
            // ...but only once the socket's own timeout freed the thread: the interrupt did not cut the read
            assertThat(took).isGreaterThanOrEqualTo(CLIENT_TIMEOUT);
            assertThat(io.seen()).singleElement().isInstanceOf(SocketTimeoutException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(context.getBean(TimeoutRegistry.class).get("io").getMetrics())
                    .isEqualTo(new TimeoutMetrics(0, 0, 1));
        });
    }

    @Test
    void anNioChannelReadIsCutAtTheDeadline() {
        runner.run(context -> {
            BlockingIo io = context.getBean(BlockingIo.class);

            // a bound against hanging: a channel read without an answer never ends on its own
            assertTimeoutPreemptively(CLIENT_TIMEOUT.multipliedBy(5), () -> {
                long start = System.nanoTime();
                Throwable thrown = catchThrowable(() -> io.readChannel(server.port()));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
                assertThat(took).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(MARGIN));
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            });
            // the interrupt closed the channel and ended the read
            assertThat(io.seen()).singleElement().isInstanceOf(ClosedByInterruptException.class);
        });
    }

    @Test
    void theJdkHttpClientsSendIsCutAtTheDeadline() {
        runner.run(context -> {
            BlockingIo io = context.getBean(BlockingIo.class);

            assertTimeoutPreemptively(CLIENT_TIMEOUT.multipliedBy(5), () -> {
                long start = System.nanoTime();
                Throwable thrown = catchThrowable(() -> io.send(server.port(), CLIENT_TIMEOUT));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
                // well below the request's own timeout, which would end it with HttpTimeoutException
                assertThat(took).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(MARGIN));
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            });
            // send() waits on a future, which the interrupt ends
            assertThat(io.seen()).singleElement().isInstanceOf(InterruptedException.class);
            // the request did reach the silent server
            await().atMost(Support.PATIENCE).until(() -> server.accepted() > 0);
        });
    }

    /** The timed methods; each records the exception its blocking operation ended with. */
    static class BlockingIo {

        private static final HttpClient HTTP = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(CLIENT_TIMEOUT).build();

        private final List<Throwable> seen = new CopyOnWriteArrayList<>();

        /** Read through a method: the bean is a class proxy, whose own fields are never set. */
        public List<Throwable> seen() {
            return seen;
        }

        @Timeout("io")
        public int readSocket(int port, Duration soTimeout) throws IOException {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout((int) soTimeout.toMillis());
                InputStream in = socket.getInputStream();
                return in.read();
            }
            catch (IOException ex) {
                seen.add(ex);
                throw ex;
            }
        }

        @Timeout("io")
        public int readChannel(int port) throws IOException {
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return channel.read(ByteBuffer.allocate(1));
            }
            catch (IOException ex) {
                seen.add(ex);
                throw ex;
            }
        }

        @Timeout("io")
        public int send(int port, Duration requestTimeout) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(requestTimeout).GET().build();
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            catch (IOException | InterruptedException ex) {
                seen.add(ex);
                throw ex;
            }
        }
    }

    /**
     * A TCP server on 127.0.0.1 that accepts every connection and never writes a byte. The accepted connections
     * stay open (a closed one would end the client's read at once) until {@link #close()}.
     */
    static final class SilentServer implements AutoCloseable {

        private final ServerSocket serverSocket;
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptForever, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return serverSocket.getLocalPort();
        }

        int accepted() {
            return connections.size();
        }

        private void acceptForever() {
            try {
                while (true) {
                    connections.add(serverSocket.accept());
                }
            }
            catch (IOException closed) {
                // close() ends the loop
            }
        }

        @Override
        public void close() throws Exception {
            serverSocket.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
