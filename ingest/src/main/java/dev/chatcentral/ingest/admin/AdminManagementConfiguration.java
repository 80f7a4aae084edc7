package dev.chatcentral.ingest.admin;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Import;

import dev.chatcentral.ingest.directory.DirectoryChanges;

/** The admin API on the ingest's management port (only where the ingest runs: it needs its directory). */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnBean(DirectoryChanges.class)
@Import(EmpresaAdminController.class)
class AdminManagementConfiguration {
}
