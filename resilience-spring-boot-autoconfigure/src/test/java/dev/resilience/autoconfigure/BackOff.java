package dev.resilience.autoconfigure;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The check every {@code @ConditionalOnMissingBean} earns: the application's own bean makes ours back off. */
final class BackOff {

    private BackOff() {
    }

    /** With the application's {@code own} bean of {@code type}, the context holds that one and no other. */
    static <T> void assertBacksOffTo(ApplicationContextRunner runner, Class<T> type, T own) {
        runner.withBean(type, () -> own).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(type);
            assertThat(context.getBean(type)).isSameAs(own);
        });
    }
}
