package dev.resilience.sample.offer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * How the offer service reaches its partner, bound from {@code sample.partner.*}.
 *
 * @param baseUrl        The partner's base URL. Default: this application itself
 *                       (http://localhost:&lt;the port it actually listens on&gt;), which serves the partner API.
 * @param connectTimeout The HTTP client's connect timeout. Kept above the resilience timeout so that the
 *                       resilience timeout is the one that cuts a slow call.
 * @param readTimeout    The HTTP client's read timeout, likewise above the resilience timeout.
 */
@ConfigurationProperties("sample.partner")
public record PartnerClientProperties(
        URI baseUrl,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout) {
}
