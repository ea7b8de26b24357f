package dev.resilience.aop;

import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.core.AsyncCall;

/**
 * Maps one family of asynchronous return types onto the one asynchronous path of the policies
 * ({@link CompletionStage}): the policies implement their logic once for synchronous calls and once for stages, and
 * an adapter per return type (registered in {@link AsyncReturnTypes}) turns the method's own result into a stage and
 * the chain's outcome back into what the caller expects. Adapters are asked once per method when its chain is built;
 * their two conversions run per call and must not block.
 */
public interface AsyncReturnType {

    /** Whether a method declaring {@code returnType} is protected through this adapter. */
    boolean supports(Class<?> returnType);

    /** The stage that the method's own result (never {@code null}) stands for; called once per attempt. */
    CompletionStage<Object> toStage(Object returned);

    /**
     * Runs the chain for one call (now, or for a lazy type when the caller subscribes) and answers what the caller of
     * the method gets, a value of the method's declared return type.
     */
    Object toReturnValue(AsyncCall<MethodInvocation> chain, MethodInvocation invocation);
}
