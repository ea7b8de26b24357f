package dev.resilience.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sample service: an offer service ({@code GET /offer}) that asks a partner for a hot offer over HTTP and
 * answers with a cold offer when the partner fails, hangs or is overloaded. The partner lives in the same
 * application ({@code /partner/**}) and can be made to misbehave at runtime through {@code /partner/chaos}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
