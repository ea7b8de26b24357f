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
            "bulkhead", BulkheadProperties.InstanceProperties.class,
            "ratelimiter", RateLimiterProperties.InstanceProperties.class);

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
                if (component.getType().isRecord()) {
                    // a group of keys (a retry's budget): each of its keys is documented
                    for (var nested : component.getType().getRecordComponents()) {
                        String nestedName = name + "." + kebab(nested.getName());
                        assertThat(description(metadata, nestedName)).as(nestedName).isNotBlank();
                    }
                    continue;
                }
                assertThat(description(metadata, name)).as(name).isNotBlank();
            }
        }
        assertThat(property(metadata, "resilience.circuitbreaker.configs.default.failure-rate-threshold"))
                .containsEntry("defaultValue", 50);
        assertThat(property(metadata, "resilience.retry.configs.default.wait-duration"))
                .containsEntry("defaultValue", "500ms");
    }

    /**
     * Every key of the README's settings table has metadata, and the default the table gives (a number, a duration,
     * a boolean, a value of the key's hints) is the metadata's {@code defaultValue}; a default in words ('all',
     * 'none', 'unbounded', 'processors') has none.
     */
    @Test
    void everyKeyOfTheReadmeSettingsTableHasMetadataWithItsDefault() throws Exception {
        DocumentContext metadata = metadata();
        List<ReadmeSettings.Row> rows = ReadmeSettings.rows();
        assertThat(rows).hasSizeGreaterThan(30);
        for (ReadmeSettings.Row row : rows) {
            String name = row.property();
            List<Map<String, Object>> found = metadata.read("$.properties[?(@.name == '" + name + "')]");
            assertThat(found).as("metadata of the README's key %s %s (%s)", row.kind(), row.key(), name).hasSize(1);
            Map<String, Object> property = found.get(0);
            assertThat((String) property.get("description")).as(name).isNotBlank();
            if (isLiteral(row.defaultValue(), hintValues(metadata, name))) {
                assertThat(property).as("%s: the README's default %s", name, row.defaultValue())
                        .containsKey("defaultValue");
                assertThat(normalized(property.get("defaultValue"))).as("%s: the README's default", name)
                        .isEqualTo(normalized(row.defaultValue()));
            }
            else {
                assertThat(property).as("%s: the README's default is '%s'", name, row.defaultValue())
                        .doesNotContainKey("defaultValue");
            }
        }
    }

    @Test
    void everyKindDocumentsBaseConfigAndTheKeysOfItsInstancesAndHintsTheDefaultTemplate() throws Exception {
        DocumentContext metadata = metadata();
        for (Map.Entry<String, Class<? extends Record>> kind : KINDS.entrySet()) {
            String instances = "resilience." + kind.getKey() + ".instances";
            assertThat(description(metadata, instances)).as(instances).contains("'base-config'");
            // IDEs complete the keys of an instance from the type of the map's values
            assertThat(property(metadata, instances).get("type")).as(instances)
                    .isEqualTo("java.util.Map<java.lang.String," + kind.getValue().getName() + ">");
            String configs = "resilience." + kind.getKey() + ".configs";
            assertThat(property(metadata, configs).get("type")).as(configs)
                    .isEqualTo("java.util.Map<java.lang.String," + kind.getValue().getName() + ">");
            assertThat(hintValues(metadata, configs + ".keys")).as(configs + ".keys").containsExactly("default");
        }
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

    private static List<String> hintValues(DocumentContext metadata, String name) {
        return metadata.read("$.hints[?(@.name == '" + name + "')].values[*].value");
    }

    /** A default written as a value (not in words): a number, a duration, a boolean, one of the hints' values. */
    private static boolean isLiteral(String value, List<String> hints) {
        return value.matches("-?[0-9.]+(ns|us|ms|s|m|h|d)?") || value.equals("true") || value.equals("false")
                || value.matches("(/[a-z0-9.-]+)+") // a path, such as the dashboard's
                || value.matches("[a-z]+:\\{[a-z.]+\\}:") // a key prefix, such as fleet mode's
                || hints.stream().anyMatch(hint -> normalized(hint).equals(normalized(value)));
    }

    /** {@code COUNT_BASED} and {@code count-based} are the same enum value to the binder. */
    private static String normalized(Object value) {
        return String.valueOf(value).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String kebab(String camel) {
        Matcher matcher = Pattern.compile("[A-Z]").matcher(camel);
        return matcher.replaceAll(match -> "-" + match.group().toLowerCase());
    }
}
