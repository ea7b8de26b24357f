package dev.resilience.fleet;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The application of the fleet tests: everything on the test class path auto-configured (web, actuator, Redis). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class FleetTestApplication {
}
