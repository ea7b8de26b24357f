package dev.resilience.dashboard;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application of the live view's HTTP tests, on Spring MVC or WebFlux: the starter with one circuit breaker,
 * retry, timeout and bulkhead, all named {@code partner}, created from the settings in
 * {@code application-dashboard.yml}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DashboardTestApplication {
}
