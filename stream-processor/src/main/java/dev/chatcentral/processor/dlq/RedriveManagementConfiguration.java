package dev.chatcentral.processor.dlq;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Import;

/** The DLQ redrive on the processor's management port (only where the processor runs). */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBean(DeadLetterRedriver.class)
@Import(RedriveController.class)
class RedriveManagementConfiguration {
}
