package dev.chatcentral.service.management;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of the management port only (the ingest's admin API, the processor's DLQ redrive): left out of the
 * service's own context, so its public port never serves it, and registered in the management context by the
 * service's {@code ManagementContextConfiguration}, behind the management token.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@RestController
public @interface ManagementApi {
}
