package dev.chatcentral.service.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused start as one line per secret and what to do, instead of a stack trace. */
class InsecureConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InsecureConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InsecureConfigurationException cause) {
        return new FailureAnalysis(String.join("\n", cause.problems()),
                "Set each variable named above to a secret of your own (docs/operations.md, \"Production "
                        + "checklist\", says how to make one), or run with SPRING_PROFILES_ACTIVE=dev on a development "
                        + "machine.", cause);
    }
}
