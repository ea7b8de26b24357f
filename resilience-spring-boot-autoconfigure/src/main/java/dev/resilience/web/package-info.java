/**
 * Over HTTP: the exceptions of the policies that escape a Spring MVC or WebFlux handler answer with an RFC 9457
 * problem detail and the right status, unless the application handles them itself.
 */
package dev.resilience.web;
