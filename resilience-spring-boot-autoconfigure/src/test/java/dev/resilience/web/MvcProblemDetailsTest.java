package dev.resilience.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/** Spring MVC on its server. */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=servlet")
@ActiveProfiles("web")
class MvcProblemDetailsTest extends ProblemDetailsOverHttpTest {

    @Override
    Class<? extends ApplicationContext> stack() {
        return ServletWebServerApplicationContext.class;
    }
}
