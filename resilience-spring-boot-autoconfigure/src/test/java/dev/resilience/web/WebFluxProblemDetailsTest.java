package dev.resilience.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** WebFlux on its server. */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=reactive")
@ActiveProfiles("web")
class WebFluxProblemDetailsTest extends ProblemDetailsOverHttpTest {

    @Override
    Class<? extends ApplicationContext> stack() {
        return ReactiveWebServerApplicationContext.class;
    }
}
