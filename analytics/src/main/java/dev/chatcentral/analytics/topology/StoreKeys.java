package dev.chatcentral.analytics.topology;

import java.time.Duration;

import dev.chatcentral.schemas.metrics.ServiceMetrics;

/**
 * Keys of the empresa-side stores. Each starts with the empresa's id prefixed by its length, so that one empresa's
 * prefix scan never reaches another's whatever characters their ids hold.
 */
final class StoreKeys {

    static final String EMPRESA = "E";
    static final String ATENDENTE = "A";

    private StoreKeys() {
    }

    static String scoped(String id) {
        return id.length() + ":" + id + "|";
    }

    static long length(String size) {
        return (ServiceMetrics.MINUTE.equals(size) ? Duration.ofMinutes(1) : Duration.ofHours(1)).toMillis();
    }

    /** The start of the window of {@code size} that holds {@code atMs}, aligned to the epoch. */
    static long windowStart(String size, long atMs) {
        return atMs - Math.floorMod(atMs, length(size));
    }

    /** {@code scoped(empresa) size|start|}: the prefix of a window's figures, the empresa's and each atendente's. */
    static String window(String empresaId, String size, long start) {
        return scoped(empresaId) + size + "|" + start + "|";
    }

    static String empresaFigures(String empresaId, String size, long start) {
        return window(empresaId, size, start) + EMPRESA;
    }

    static String atendenteFigures(String empresaId, String size, long start, String atendenteId) {
        return window(empresaId, size, start) + ATENDENTE + atendenteId;
    }
}
