package dev.resilience.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** Spring MVC on Tomcat: {@code SseEmitter} streams. */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("dashboard")
class MvcLiveViewTest extends LiveViewOverHttpTest {

    @Override
    Class<? extends ApplicationContext> stack() {
        return ServletWebServerApplicationContext.class;
    }
}
