package dev.chatcentral.bench;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM the benchmarks start chat-central's services on: the one running the harness unless
 * {@code SERVICE_JAVA_HOME} names another JDK, with {@code SERVICE_JAVA_OPTIONS} (flags separated by spaces) added
 * to every service's command line. So one harness measures the same jars on two JVMs, e.g. Temurin 25 with compact
 * object headers against the JDK 17 the build targets.
 */
public record ServiceJvm(Path home, List<String> options) {

    public static final String HOME_VARIABLE = "SERVICE_JAVA_HOME";
    public static final String OPTIONS_VARIABLE = "SERVICE_JAVA_OPTIONS";
    private static final int MAX_OPTIONS_LENGTH = 4_096;

    public ServiceJvm {
        options = List.copyOf(options);
    }

    /** From the environment; a setting that cannot work is refused with the variable named. */
    public static ServiceJvm fromEnvironment() {
        return of(System.getenv());
    }

    static ServiceJvm of(Map<String, String> env) {
        String home = env.get(HOME_VARIABLE);
        Path jdk;
        if (home == null || home.isBlank()) {
            jdk = Path.of(System.getProperty("java.home"));
        } else {
            try {
                jdk = Path.of(home.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(HOME_VARIABLE + " is not a path: " + e.getReason());
            }
            if (!Files.isExecutable(jdk.resolve("bin/java")) || !Files.isExecutable(jdk.resolve("bin/jcmd"))) {
                throw new IllegalArgumentException(HOME_VARIABLE + " must name a JDK (bin/java and bin/jcmd): "
                        + abbreviate(home));
            }
        }
        String options = env.getOrDefault(OPTIONS_VARIABLE, "");
        if (options.length() > MAX_OPTIONS_LENGTH || options.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(OPTIONS_VARIABLE + " must be at most " + MAX_OPTIONS_LENGTH
                    + " characters without NUL");
        }
        List<String> flags = Arrays.stream(options.strip().split("\\s+")).filter(flag -> !flag.isEmpty()).toList();
        for (String flag : flags) {
            if (!flag.startsWith("-")) {
                throw new IllegalArgumentException(OPTIONS_VARIABLE + " holds JVM flags only, each starting with "
                        + "'-': " + abbreviate(flag));
            }
        }
        return new ServiceJvm(jdk, flags);
    }

    public String java() {
        return home.resolve("bin/java").toString();
    }

    public String jcmd() {
        return home.resolve("bin/jcmd").toString();
    }

    /** What a report says of it: the JVM's version line and the flags. */
    public String describe() {
        String version;
        try {
            Process process = new ProcessBuilder(java(), "-version").redirectErrorStream(true).start();
            version = new String(process.getInputStream().readAllBytes()).lines().skip(1).findFirst().orElse("?");
            process.waitFor();
        } catch (Exception e) {
            version = home.toString();
        }
        return version.strip() + (options.isEmpty() ? "" : ", " + String.join(" ", options));
    }

    private static String abbreviate(String value) {
        String printable = value.replace('\0', '?');
        return printable.length() > 200 ? printable.substring(0, 200) + "…" : printable;
    }
}
