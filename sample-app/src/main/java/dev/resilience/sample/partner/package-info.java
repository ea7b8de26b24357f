/**
 * The partner: a small offer API living inside the sample application, so that the sample needs no external
 * service. Its behaviour is switched at runtime through {@code /partner/chaos}: it can fail, hang, or both.
 * The offer service reaches it only over HTTP, as it would reach a real partner.
 */
package dev.resilience.sample.partner;
