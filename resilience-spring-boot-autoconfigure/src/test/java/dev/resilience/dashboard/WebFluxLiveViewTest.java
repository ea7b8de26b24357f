package dev.resilience.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** WebFlux, on the Tomcat of the test class path: a {@code Flux} of server-sent events per client. */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=reactive")
@ActiveProfiles("dashboard")
class WebFluxLiveViewTest extends LiveViewOverHttpTest {

    @Override
    Class<? extends ApplicationContext> stack() {
        return ReactiveWebServerApplicationContext.class;
    }
}
