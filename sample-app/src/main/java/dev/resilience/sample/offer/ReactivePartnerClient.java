package dev.resilience.sample.offer;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.net.http.HttpClient;

/**
 * The partner's reactive HTTP client: a plain {@link WebClient} on the JDK's {@code HttpClient}, with no resilience
 * of its own (that is the job of {@link OfferService#hotOfferReactive()}'s annotations). Nothing is sent until the
 * returned {@code Mono} is subscribed to, and cancelling the subscription cancels the request.
 *
 * <p>An error status answers the same exceptions as the blocking {@link PartnerClient} ({@link HttpClientErrorException}
 * for a 4xx, {@link HttpServerErrorException} for a 5xx), so that one set of settings (the retry's
 * {@code ignore-exceptions}) and one {@link FallbackReasons} serve both clients.
 */
@Component
public class ReactivePartnerClient implements ApplicationListener<WebServerInitializedEvent> {

    private static final String MANAGEMENT_SERVER = "management";

    private final WebClient.Builder builder;
    private final PartnerClientProperties properties;
    private volatile WebClient webClient;

    public ReactivePartnerClient(PartnerClientProperties properties) {
        JdkClientHttpConnector connector = new JdkClientHttpConnector(
                HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
        connector.setReadTimeout(properties.readTimeout());
        this.builder = WebClient.builder().clientConnector(connector);
        this.properties = properties;
        if (properties.baseUrl() != null) {
            this.webClient = builder.baseUrl(properties.baseUrl().toString()).build();
        }
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (properties.baseUrl() == null
                && !WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), MANAGEMENT_SERVER)) {
            webClient = builder.baseUrl("http://localhost:" + event.getWebServer().getPort()).build();
        }
    }

    /** The partner's hot offer, once subscribed to; an error status fails it as {@link PartnerClient} would. */
    public Mono<PartnerOffer> hotOffer() {
        WebClient client = webClient;
        if (client == null) {
            return Mono.error(new IllegalStateException(
                    "The partner's base URL is not known before the web server has started"));
        }
        return client.get().uri("/partner/offers/hot").retrieve()
                .onStatus(HttpStatusCode::isError, ReactivePartnerClient::failure)
                .bodyToMono(PartnerOffer.class);
    }

    private static Mono<? extends Throwable> failure(ClientResponse response) {
        HttpStatusCode status = response.statusCode();
        String statusText = "partner answered " + status.value();
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> status.is4xxClientError()
                ? HttpClientErrorException.create(status, statusText, response.headers().asHttpHeaders(), body, null)
                : HttpServerErrorException.create(status, statusText, response.headers().asHttpHeaders(), body, null));
    }
}
