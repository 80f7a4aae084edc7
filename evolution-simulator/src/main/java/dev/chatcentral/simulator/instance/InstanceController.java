package dev.chatcentral.simulator.instance;

import java.util.regex.Pattern;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.request.UnknownInstance;

/**
 * Run-time control of where an instance's webhooks go:
 * {@code PUT /simulator/instances/{instance}/target {"empresaId":"emp-9","secret":"..."}} registers a tenant created
 * after startup (GET reads it without the secret, DELETE forgets it), and
 * {@code PUT /simulator/instances/{instance}/silence {"silent":true}} loses every webhook of the instance while its
 * API keeps answering as a connected instance (GET reads it).
 */
@RestController
class InstanceController {

    private static final Pattern INSTANCE = Pattern.compile("[0-9A-Za-z._-]{1,128}");

    private final Targets targets;
    private final Silence silence;

    InstanceController(Targets targets, Silence silence) {
        this.targets = targets;
        this.silence = silence;
    }

    @PutMapping("/simulator/instances/{instance}/target")
    JsonNode register(@PathVariable String instance, @RequestBody JsonNode body) {
        checkName(instance);
        Fields.object(body);
        String empresaId = Fields.text(body, "empresaId", 1, 128);
        String secret = Fields.text(body, "secret", 1, 512);
        if (empresaId.isBlank() || secret.isBlank()) {
            throw new InvalidRequest("empresaId and secret must not be blank");
        }
        targets.register(new Target(empresaId, instance, secret));
        return target(instance);
    }

    @GetMapping("/simulator/instances/{instance}/target")
    JsonNode target(@PathVariable String instance) {
        Target target = targets.byInstance(instance).orElseThrow(() -> new UnknownInstance(instance));
        return Json.MAPPER.createObjectNode().put("instance", instance).put("empresaId", target.empresaId());
    }

    @DeleteMapping("/simulator/instances/{instance}/target")
    ResponseEntity<Void> unregister(@PathVariable String instance) {
        targets.unregister(instance);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/simulator/instances/{instance}/silence")
    JsonNode silence(@PathVariable String instance, @RequestBody JsonNode body) {
        checkName(instance);
        Fields.object(body);
        silence.set(instance, Fields.bool(body, "silent"));
        return silence(instance);
    }

    @GetMapping("/simulator/instances/{instance}/silence")
    JsonNode silence(@PathVariable String instance) {
        return Json.MAPPER.createObjectNode().put("instance", instance).put("silent", silence.isSilent(instance));
    }

    private static void checkName(String instance) {
        if (!INSTANCE.matcher(instance).matches()) {
            throw new InvalidRequest("instance must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
    }
}
