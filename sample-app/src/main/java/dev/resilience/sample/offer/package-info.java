/**
 * The offer service: {@code GET /offer} asks the partner for a hot offer through a protected method carrying
 * all five resilience annotations, and answers a cold offer, with the reason, whenever the partner cannot.
 */
package dev.resilience.sample.offer;
