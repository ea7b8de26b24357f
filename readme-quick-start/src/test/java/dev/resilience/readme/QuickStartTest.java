package dev.resilience.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import com.sun.net.httpserver.HttpServer;

/**
 * The README's Quick start, as written, is a working application: its {@code java} blocks are compiled (with a
 * generated {@code @SpringBootApplication} class unless a block has one) against this module's class path, which
 * holds exactly the dependencies its {@code xml} block lists; its {@code yaml} block is the
 * {@code application.yml}; the application starts on a random port and answers, through its partner (a stub on
 * 127.0.0.1) and through its fallback when the partner fails. The blocks are those between
 * {@code <!-- quick-start} and {@code <!-- /quick-start -->} in README.md.
 */
class QuickStartTest {

    private static final String START_MARKER = "<!-- quick-start";
    private static final String END_MARKER = "<!-- /quick-start -->";

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(?:class|record|interface|enum|@interface)\\s+(\\w+)");

    @TempDir
    Path work;

    @Test
    void theReadmeListsExactlyTheDependenciesTheQuickStartIsBuiltWith() throws Exception {
        QuickStart quickStart = QuickStart.read(readme());

        List<Element> readmeDependencies = dependencies(parseXml("<dependencies>" + quickStart.xml() + "</dependencies>"));
        Document pom = parseXml(Files.readString(Path.of(System.getProperty("pom.path"))));
        List<String> compileScope = dependencies(child(pom.getDocumentElement(), "dependencies")).stream()
                .filter(dependency -> text(dependency, "scope") == null || "compile".equals(text(dependency, "scope")))
                .map(QuickStartTest::coordinates)
                .toList();

        assertThat(readmeDependencies.stream().map(QuickStartTest::coordinates).toList())
                .as("the Quick start's dependencies (README.md) against this module's compile dependencies (pom.xml)")
                .containsExactlyInAnyOrderElementsOf(compileScope);
        assertThat(readmeDependencies)
                .filteredOn(dependency -> "resilience-spring-boot-starter".equals(text(dependency, "artifactId")))
                .singleElement()
                .satisfies(starter -> assertThat(text(starter, "version"))
                        .as("the starter's version in the Quick start")
                        .isEqualTo(System.getProperty("project.version")));
    }

    @Test
    void theQuickStartCompilesStartsAndAnswersThroughItsPartnerAndItsFallback() throws Exception {
        QuickStart quickStart = QuickStart.read(readme());
        Path sources = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        String applicationClass = writeSources(quickStart.javaBlocks(), sources);
        compile(sources, classes);
        Files.writeString(classes.resolve("application.yml"), quickStart.yaml());

        try (Partner partner = Partner.start();
                URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                        getClass().getClassLoader())) {
            ConfigurableApplicationContext context = run(loader, applicationClass,
                    "--server.port=0", "--server.address=127.0.0.1", "--partner.url=" + partner.url());
            try {
                assertThat(context.getEnvironment().getPropertySources().stream().map(source -> source.getName()))
                        .as("the Quick start's application.yml is loaded")
                        .anyMatch(name -> name.contains("application.yml"));
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                URI offer = URI.create("http://127.0.0.1:" + port + "/offer?customer=alice");

                HttpResponse<String> hot = get(offer);
                assertThat(hot.statusCode()).as(hot.body()).isEqualTo(200);
                assertThat(hot.body()).contains("\"text\":\"free delivery for alice\"");

                partner.failWith(500);
                int callsBefore = partner.calls();
                HttpResponse<String> cold = get(offer);
                assertThat(cold.statusCode()).as(cold.body()).isEqualTo(200);
                assertThat(cold.body()).as("the fallback answers").contains("\"text\":\"10% off your next order\"");
                assertThat(partner.calls() - callsBefore).as("attempts on the failing partner (@Retry applies)")
                        .isGreaterThan(1);
            } finally {
                context.close();
            }
        }
    }

    private static Path readme() {
        return Path.of(System.getProperty("readme.path", "../README.md"));
    }

    /** Writes each block under its package; answers the application class, generated unless a block has one. */
    private static String writeSources(List<String> javaBlocks, Path sources) throws IOException {
        assertThat(javaBlocks).as("java blocks in the Quick start").isNotEmpty();
        String packageName = null;
        String applicationClass = null;
        for (String block : javaBlocks) {
            Matcher packageMatch = PACKAGE.matcher(block);
            assertThat(packageMatch.find()).as("a package declaration in the Quick start block%n%s", block).isTrue();
            Matcher typeMatch = TOP_LEVEL_TYPE.matcher(block);
            assertThat(typeMatch.find()).as("a top-level type in the Quick start block%n%s", block).isTrue();
            packageName = packageMatch.group(1);
            String className = packageName + "." + typeMatch.group(1);
            write(sources, className, block);
            if (block.contains("@SpringBootApplication")) {
                applicationClass = className;
            }
        }
        if (applicationClass == null) {
            applicationClass = packageName + ".QuickStartApplication";
            write(sources, applicationClass, "package " + packageName + ";\n\n"
                    + "@org.springframework.boot.autoconfigure.SpringBootApplication\n"
                    + "public class QuickStartApplication {\n}\n");
        }
        return applicationClass;
    }

    private static void write(Path sources, String className, String source) throws IOException {
        Path file = sources.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    /** Compiles as a Spring Boot build does: Java 17, with parameter names (for {@code @RequestParam}). */
    private static void compile(Path sources, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK's compiler").isNotNull();
        List<Path> files;
        try (var walk = Files.walk(sources)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-parameters", "-proc:none",
                    "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
            boolean compiled = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            String report = diagnostics.getDiagnostics().stream()
                    .map(QuickStartTest::describe)
                    .collect(Collectors.joining("\n"));
            assertThat(compiled).as("the Quick start's java blocks compile:%n%s", report).isTrue();
        }
    }

    private static String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        String file = diagnostic.getSource() == null ? "" : Path.of(diagnostic.getSource().toUri()).getFileName() + ":";
        return file + diagnostic.getLineNumber() + ": " + diagnostic.getKind() + ": "
                + diagnostic.getMessage(Locale.ROOT);
    }

    private static ConfigurableApplicationContext run(ClassLoader loader, String applicationClass, String... args)
            throws ClassNotFoundException {
        Class<?> main = Class.forName(applicationClass, true, loader);
        SpringApplication application = new SpringApplication(new DefaultResourceLoader(loader), main);
        application.setMainApplicationClass(main);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return application.run(args);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> dependencies(Document document) {
        return dependencies(document.getDocumentElement());
    }

    /** The {@code <dependency>} children of {@code parent}. */
    private static List<Element> dependencies(Element parent) {
        List<Element> dependencies = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals("dependency")) {
                dependencies.add(child);
            }
        }
        return dependencies;
    }

    private static String coordinates(Element dependency) {
        return text(dependency, "groupId") + ":" + text(dependency, "artifactId");
    }

    /** The text of {@code element}'s child named {@code name}, or {@code null} when it has none. */
    private static String text(Element element, String name) {
        Element child = child(element, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static Element child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    /** The fenced blocks between the Quick start's markers. */
    record QuickStart(String xml, List<String> javaBlocks, String yaml) {

        static QuickStart read(Path readme) throws IOException {
            String text = Files.readString(readme);
            int start = text.indexOf(START_MARKER);
            int end = text.indexOf(END_MARKER);
            assertThat(start).as("'%s' in %s", START_MARKER, readme).isNotNegative();
            assertThat(end).as("'%s' after '%s' in %s", END_MARKER, START_MARKER, readme).isGreaterThan(start);
            List<String> xml = new ArrayList<>();
            List<String> java = new ArrayList<>();
            List<String> yaml = new ArrayList<>();
            String language = null;
            StringBuilder block = new StringBuilder();
            for (String line : text.substring(start, end).split("\n", -1)) {
                if (language == null && line.startsWith("```")) {
                    language = line.substring(3).trim();
                    block.setLength(0);
                } else if (language != null && line.equals("```")) {
                    switch (language) {
                        case "xml" -> xml.add(block.toString());
                        case "java" -> java.add(block.toString());
                        case "yaml", "yml" -> yaml.add(block.toString());
                        default -> throw new AssertionError("A ```" + language + " block in the Quick start");
                    }
                    language = null;
                } else if (language != null) {
                    block.append(line).append('\n');
                }
            }
            assertThat(language).as("an unclosed ``` block in the Quick start").isNull();
            assertThat(xml).as("```xml blocks in the Quick start").hasSize(1);
            assertThat(yaml).as("```yaml blocks in the Quick start").hasSize(1);
            return new QuickStart(xml.get(0), java, yaml.get(0));
        }
    }

    /** The partner: {@code GET /offers/hot?customer=x} answers a hot offer for x, or fails with a status. */
    static final class Partner implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger calls = new AtomicInteger();
        /** 0 while healthy. */
        private final AtomicInteger failureStatus = new AtomicInteger();

        private Partner(HttpServer server) {
            this.server = server;
        }

        static Partner start() throws IOException {
            Partner partner = new Partner(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            partner.server.createContext("/offers/hot", exchange -> {
                partner.calls.incrementAndGet();
                String query = exchange.getRequestURI().getQuery();
                String customer = query == null ? "" : query.replaceFirst("^.*customer=([^&]*).*$", "$1");
                int status = partner.failureStatus.get();
                byte[] body;
                if (status != 0) {
                    body = "partner down".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                } else {
                    status = 200;
                    body = ("{\"text\":\"free delivery for " + customer + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                }
                exchange.sendResponseHeaders(status, body.length);
                try (var out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            partner.server.start();
            return partner;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void failWith(int status) {
            failureStatus.set(status);
        }

        int calls() {
            return calls.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
