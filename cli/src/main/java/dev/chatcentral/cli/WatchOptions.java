package dev.chatcentral.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code watch}: {@code --url ws://localhost:8080/ws --token <jwt> --channel empresa:emp-1
 * [--channel ...]}. The token travels as the {@code token} query parameter because browsers cannot set headers on
 * a WebSocket handshake and the gateway accepts it the same way from everyone.
 */
record WatchOptions(URI url, String token, List<String> channels) {

    static final URI DEFAULT_URL = URI.create("ws://localhost:8080/ws");

    static final String USAGE = """
            usage: watch [--url ws://localhost:8080/ws] --token <agent JWT> --channel <channel> [--channel ...]
              Subscribes to the channels and prints every event as one JSON line on stdout; connection and
              subscription frames and errors go to stderr.
              channels: empresa:<empresaId>, atendente:<userId>, conversa:<conversaId>, presence:<empresaId>
              exit status: 0 --help, 1 connection closed or failed, 2 bad arguments, 3 token rejected (HTTP 401)""";

    /** Thrown for a command line that cannot run; its message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Thrown for {@code --help}. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super(USAGE);
        }
    }

    static WatchOptions parse(String... args) throws UsageException, HelpRequested {
        URI url = DEFAULT_URL;
        String token = null;
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inlineValue = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--url", "--token", "--channel" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (value.isBlank()) {
                        throw new UsageException(name + " needs a non-empty value");
                    }
                    switch (name) {
                        case "--url" -> url = parseUrl(value);
                        case "--token" -> token = value;
                        default -> channels.add(parseChannel(value));
                    }
                }
                default -> throw new UsageException("unknown argument: " + arg);
            }
        }
        if (token == null) {
            throw new UsageException("--token is required (an agent JWT; bin/stack prints one per empresa)");
        }
        if (channels.isEmpty()) {
            throw new UsageException("at least one --channel is required, e.g. --channel empresa:emp-1");
        }
        return new WatchOptions(url, token, List.copyOf(channels));
    }

    /** The handshake URL: {@link #url} with the token added to its query. */
    URI connectUri() {
        String query = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String text = url.toString();
        return URI.create(text + (url.getRawQuery() == null ? "?" : "&") + query);
    }

    private static URI parseUrl(String value) throws UsageException {
        try {
            URI uri = new URI(value);
            if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null || uri.getRawFragment() != null) {
                throw new UsageException("--url must be a ws:// or wss:// URL without fragment, was " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: " + e.getMessage());
        }
    }

    private static String parseChannel(String value) throws UsageException {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--channel must look like kind:id (e.g. empresa:emp-1), was " + value);
        }
        return value;
    }
}
