package dev.chatcentral.gateway.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * The console's entry points on the public port, without a token: {@code /console} and {@code /console/} lead to
 * its page, and {@code /console/config.json} tells it where the gateway is and, in the dev profile, which demo users
 * it may offer. Its other files are static resources ({@link ConsoleResources}).
 */
@Controller
class ConsoleController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleController.class);

    private final ConsoleProperties properties;

    ConsoleController(ConsoleProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/console")
    String toConsole() {
        return "redirect:/console/";
    }

    @GetMapping("/console/")
    String page() {
        return "forward:/console/index.html";
    }

    /** Read at each request: the tokens in the demo users' file are minted when the stack starts. */
    @GetMapping(path = "/console/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> config() {
        ObjectNode config = Json.MAPPER.createObjectNode().put("gatewayUrl", properties.gatewayUrl());
        Path file = properties.demoUsers();
        if (file != null) {
            try {
                JsonNode users = Json.MAPPER.readTree(Files.readString(file));
                if (users.isArray()) {
                    config.set("demoUsers", users);
                } else {
                    log.warn("{} is not a JSON array of demo users; the console offers none",
                            file);
                }
            } catch (IOException | JacksonException e) {
                log.warn("cannot read the console's demo users from {}: {}", file, e.toString());
            }
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Json.MAPPER.writeValueAsString(config));
    }
}
