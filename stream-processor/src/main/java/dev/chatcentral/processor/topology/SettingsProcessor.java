package dev.chatcentral.processor.topology;

import java.util.Map;

import dev.chatcentral.processor.command.InvalidCommandException;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.empresa.settings}: the empresa's automatic assignment settings, kept for the drains of its
 * queue, and its SLA targets and calendar, which clocks started from then on are measured by. A change may let waiting
 * conversas be assigned (assignment switched on, a capacity raised), so the empresa is drained after it. A record that
 * is not settings of its key's empresa, or holds values the settings API never writes, goes to the DLQ and changes
 * nothing; a tombstone puts the empresa back to the defaults (off, no SLA).
 */
final class SettingsProcessor extends AtendenteInputProcessor<EmpresaSettings> {

    SettingsProcessor(ConversaTasks tasks) {
        super(tasks, Topics.EMPRESA_SETTINGS);
    }

    @Override
    Effects effects(String empresaId, EmpresaSettings settings, long timestamp, long nowMillis,
                    LogContext logContext) {
        if (settings != null) {
            check(empresaId, settings);
        }
        return Effects.builder()
                .write(() -> task.stores().assignment().settingsChanged(empresaId, settings))
                .build();
    }

    private static void check(String empresaId, EmpresaSettings settings) {
        if (!empresaId.equals(settings.empresaId())) {
            throw new InvalidCommandException("settings keyed by empresa " + empresaId + " are another empresa's");
        }
        EmpresaSettings.Assignment assignment = settings.assignment();
        if (assignment.defaultCapacity() < 1 || assignment.defaultCapacity() > EmpresaSettings.Assignment.MAX_CAPACITY
                || assignment.capacities().size() > EmpresaSettings.Assignment.MAX_CAPACITY_OVERRIDES) {
            throw new InvalidCommandException("settings of empresa " + empresaId + " hold a capacity out of range");
        }
        for (Map.Entry<String, Integer> capacity : assignment.capacities().entrySet()) {
            if (capacity.getValue() < 0 || capacity.getValue() > EmpresaSettings.Assignment.MAX_CAPACITY) {
                throw new InvalidCommandException("settings of empresa " + empresaId + " hold a capacity out of range");
            }
        }
        String problem = settings.sla().problem();
        if (problem == null && settings.calendar() != null) {
            problem = settings.calendar().problem();
        }
        if (problem != null) {
            throw new InvalidCommandException("settings of empresa " + empresaId + " cannot be used: " + problem);
        }
    }
}
