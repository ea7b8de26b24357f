package dev.resilience.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client of a server-sent event stream on a bare socket, so that a test controls exactly when it goes away:
 * {@link #close()} closes the socket, nothing more, as a browser tab that is closed does. Reads HTTP/1.1 chunked
 * bodies.
 */
final class SseSocket implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final int status;
    private final StringBuilder body = new StringBuilder();
    private boolean ended;

    SseSocket(int port, String path) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("localhost", port), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next complete event (its lines without the blank one that ends it), or {@code null} once the stream ended. */
    List<String> nextEvent() throws IOException {
        while (true) {
            int end = body.indexOf("\n\n");
            if (end >= 0) {
                String event = body.substring(0, end);
                body.delete(0, end + 2);
                return List.of(event.split("\n"));
            }
            if (ended || !readChunk()) {
                return null;
            }
        }
    }

    /** The data of the next event that has data (comments skipped), and its name ({@code null} for the default). */
    String[] nextData() throws IOException {
        for (List<String> event = nextEvent(); event != null; event = nextEvent()) {
            String name = null;
            StringBuilder data = null;
            for (String line : event) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                }
                else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
                }
            }
            if (data != null) {
                return new String[] {name, data.toString()};
            }
        }
        return null;
    }

    /** Every event's lines until the stream ends. */
    List<List<String>> untilEnd() throws IOException {
        List<List<String>> events = new ArrayList<>();
        for (List<String> event = nextEvent(); event != null; event = nextEvent()) {
            events.add(event);
        }
        return events;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private boolean readChunk() throws IOException {
        String size = line();
        if (size == null) {
            ended = true;
            return false;
        }
        int length = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (length == 0) {
            ended = true;
            return false;
        }
        byte[] chunk = in.readNBytes(length);
        body.append(new String(chunk, StandardCharsets.UTF_8).replace("\r\n", "\n"));
        line(); // the CRLF after the chunk
        return true;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }
}
