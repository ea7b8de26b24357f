package dev.resilience.autoconfigure;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata the configuration processor generates (merged with the additional metadata) documents
 * every key, so that IDEs complete and explain them.
 */
class ConfigurationMetadataTest {

    private static final Map<String, Class<? extends Record>> KINDS = Map.of(
            "circuitbreaker", CircuitBreakerProperties.InstanceProperties.class,
            "retry", RetryProperties.InstanceProperties.class,
            "timeout", TimeoutProperties.InstanceProperties.class,
            "bulkhead", BulkheadProperties.InstanceProperties.class);

    @Test
    void everyKindHasDescribedConfigsAndInstances() throws Exception {
        DocumentContext metadata = metadata();
        for (String kind : KINDS.keySet()) {
            for (String map : List.of("configs", "instances")) {
                String name = "resilience." + kind + "." + map;
                assertThat(description(metadata, name)).as(name).isNotBlank();
                assertThat(property(metadata, name).get("type").toString()).as(name)
                        .startsWith("java.util.Map<java.lang.String,dev.resilience.autoconfigure.");
            }
        }
        assertThat(description(metadata, "resilience.circuitbreaker.instances")).contains("base-config");
    }

    @Test
    void everyKeyOfEveryKindIsDocumentedWithADescription() throws Exception {
        DocumentContext metadata = metadata();
        for (Map.Entry<String, Class<? extends Record>> kind : KINDS.entrySet()) {
            for (var component : kind.getValue().getRecordComponents()) {
                if (component.getName().equals("baseConfig")) {
                    continue; // instances only; documented with 'instances'
                }
                String name = "resilience." + kind.getKey() + ".configs.default." + kebab(component.getName());
                assertThat(description(metadata, name)).as(name).isNotBlank();
            }
        }
        assertThat(property(metadata, "resilience.circuitbreaker.configs.default.failure-rate-threshold"))
                .containsEntry("defaultValue", 50);
        assertThat(property(metadata, "resilience.retry.configs.default.wait-duration"))
                .containsEntry("defaultValue", "500ms");
    }

    @Test
    void everyPropertyHasADescriptionAndEnabledDefaultsToTrue() throws Exception {
        DocumentContext metadata = metadata();
        List<Map<String, Object>> properties = metadata.read("$.properties[*]");
        assertThat(properties).hasSizeGreaterThan(30);
        assertThat(properties).allSatisfy(property ->
                assertThat((String) property.get("description")).as(property.get("name").toString()).isNotBlank());
        assertThat(property(metadata, "resilience.enabled"))
                .containsEntry("type", "java.lang.Boolean")
                .containsEntry("defaultValue", true);
    }

    private static DocumentContext metadata() throws Exception {
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                DocumentContext document = JsonPath.parse(in);
                List<String> groups = document.read("$.groups[*].name");
                if (groups.contains("resilience.circuitbreaker")) {
                    return document;
                }
            }
        }
        throw new AssertionError("no generated metadata with group resilience.circuitbreaker on the class path");
    }

    private static Map<String, Object> property(DocumentContext metadata, String name) {
        List<Map<String, Object>> found = metadata.read("$.properties[?(@.name == '" + name + "')]");
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static String description(DocumentContext metadata, String name) {
        return (String) property(metadata, name).get("description");
    }

    private static String kebab(String camel) {
        Matcher matcher = Pattern.compile("[A-Z]").matcher(camel);
        return matcher.replaceAll(match -> "-" + match.group().toLowerCase());
    }
}
