/**
 * The live view: a dashboard page, a stream of every instance's figures ({@code /resilience/stream}) and the same in
 * Hystrix's stream format ({@code /resilience/hystrix.stream}), on the application's own web server. One
 * {@link dev.resilience.dashboard.LiveView} reads the registries once per interval and feeds every client.
 */
package dev.resilience.dashboard;
