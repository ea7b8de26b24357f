package dev.resilience.sample.offer;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The partner's HTTP client: a plain {@link RestClient}, with no resilience of its own (that is the job of
 * {@link OfferService}'s annotations).
 *
 * <p>It uses the JDK's {@code HttpClient}, whose blocking call ends when the calling thread is interrupted:
 * that is how {@code @Timeout} frees the thread of a call to a hanging partner. When
 * {@code sample.partner.base-url} is not set, the client points at this application, on the port the web
 * server actually listens on (known once the server has started, so random ports work too).
 */
@Component
public class PartnerClient implements ApplicationListener<WebServerInitializedEvent> {

    private static final String MANAGEMENT_SERVER = "management";

    private final RestClient.Builder builder;
    private final PartnerClientProperties properties;
    private volatile RestClient restClient;

    public PartnerClient(RestClient.Builder builder, PartnerClientProperties properties) {
        HttpClientSettings settings = HttpClientSettings.defaults()
                .withTimeouts(properties.connectTimeout(), properties.readTimeout());
        this.builder = builder.requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings));
        this.properties = properties;
        if (properties.baseUrl() != null) {
            this.restClient = this.builder.baseUrl(properties.baseUrl()).build();
        }
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (properties.baseUrl() == null
                && !WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), MANAGEMENT_SERVER)) {
            restClient = builder.baseUrl("http://localhost:" + event.getWebServer().getPort()).build();
        }
    }

    /**
     * Asks the partner for its hot offer.
     *
     * @throws org.springframework.web.client.RestClientResponseException when the partner answers an error status
     * @throws org.springframework.web.client.ResourceAccessException when it cannot be reached or the call is
     *                                                              interrupted
     */
    public PartnerOffer hotOffer() {
        RestClient client = restClient;
        if (client == null) {
            throw new IllegalStateException("The partner's base URL is not known before the web server has started");
        }
        return client.get().uri("/partner/offers/hot").retrieve().body(PartnerOffer.class);
    }
}
