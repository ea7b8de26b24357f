/**
 * Fallback: the outermost step of a chain, answering in place of a call that ended with a throwable it applies to.
 */
package dev.resilience.core.fallback;
