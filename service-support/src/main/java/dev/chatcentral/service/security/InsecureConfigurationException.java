package dev.chatcentral.service.security;

import java.util.List;

/** A service started outside the {@code dev} profile without a secret it needs, or with a development one. */
public class InsecureConfigurationException extends RuntimeException {

    private final List<String> problems;

    InsecureConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per secret, naming its environment variable. */
    public List<String> problems() {
        return problems;
    }
}
