package dev.chatcentral.bench.peers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;

import dev.chatcentral.bench.Latencies;

/**
 * PNG charts of the peer comparison, drawn with plain Java2D so the bench needs no plotting library. Series colours
 * are fixed by order (map iteration order): the first series is chat-central (blue), the second the peer (orange).
 * Inputs that cannot be a measurement (negative, infinite, absurdly large) are refused with an
 * {@link IllegalArgumentException}; missing data (empty maps or arrays, NaN where documented) gives a chart saying so.
 */
public final class Charts {

    static {
        // the harness runs on servers without a display; set before any AWT toolkit is touched
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 900;
    static final int HEIGHT = 520;
    static final Color[] PALETTE = {
        new Color(0x1F5FBF), // chat-central: strong blue
        new Color(0xF07F0F), // the peer: orange
        new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)};

    /** Larger values are a harness bug, not a measurement; refusing them keeps the axis arithmetic finite. */
    private static final double MAX_VALUE = 1e15;
    private static final float[][] DASHES = {null, {9f, 5f}, {2f, 4f}, {10f, 4f, 2f, 4f}};
    private static final Marker[] MARKERS = {Marker.CIRCLE, Marker.SQUARE, Marker.TRIANGLE, Marker.DIAMOND};
    private static final String FAMILY = Font.SANS_SERIF;
    private static final Font TITLE_FONT = new Font(FAMILY, Font.BOLD, 18);
    private static final Font LABEL_FONT = new Font(FAMILY, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(FAMILY, Font.PLAIN, 12);
    private static final Font VALUE_FONT = new Font(FAMILY, Font.BOLD, 11);
    private static final Color INK = new Color(0x222222);
    private static final Color AXIS = new Color(0x555555);
    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color REFERENCE = new Color(0xB00020);
    private static final Color MUTED = new Color(0x888888);
    private static final int SAMPLES_BEYOND_LAST_PERCENTILE = 10;

    private Charts() {
    }

    /**
     * Latency distribution, one line per series, on a "nines" x axis (ticks p0, p50, p90, p99, p99.9 …): each line
     * stops at the highest percentile that still has about ten samples beyond it (at least p90, so that a handful of
     * samples still gives a line). Input microseconds, any order (runs may be concatenated); the y axis is ms.
     */
    public static void percentiles(Path png, String title, Map<String, long[]> microsBySeries) throws IOException {
        Objects.requireNonNull(microsBySeries, "microsBySeries");
        List<LegendEntry> legend = new ArrayList<>();
        List<long[]> sorted = new ArrayList<>();
        double lastPosition = 0;
        for (Map.Entry<String, long[]> series : microsBySeries.entrySet()) {
            long[] micros = Objects.requireNonNull(series.getValue(), () -> "no array for series " + series.getKey())
                    .clone();
            Arrays.sort(micros);
            if (micros.length > 0) {
                check(series.getKey(), micros[0] / 1000.0);
                check(series.getKey(), micros[micros.length - 1] / 1000.0);
                lastPosition = Math.max(lastPosition, lastPosition(micros.length));
            }
            sorted.add(micros);
            String text = micros.length == 0 ? series.getKey() + " (no data)"
                    : series.getKey() + "   p50 " + format(Latencies.percentileMillis(micros, 50), 3) + " ms, p99 "
                            + format(Latencies.percentileMillis(micros, 99), 3) + " ms";
            legend.add(new LegendEntry(text, line(legend.size()), false));
        }
        Canvas canvas = new Canvas(title, legend);
        String xLabel = "percentile (nines scale)";
        String yLabel = "latency (ms)";
        if (lastPosition == 0) {
            canvas.noData(xLabel, yLabel);
        } else {
            int points = 400;
            List<double[][]> lines = new ArrayList<>();
            double yMax = 0;
            for (long[] micros : sorted) {
                double end = micros.length == 0 ? 0 : lastPosition(micros.length);
                double[] xs = new double[micros.length == 0 ? 0 : points + 1];
                double[] ys = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = end * i / points;
                    ys[i] = Latencies.percentileMillis(micros, 100 * (1 - Math.pow(10, -xs[i])));
                    yMax = Math.max(yMax, ys[i]);
                }
                lines.add(new double[][] {xs, ys});
            }
            canvas.axes(new Nines(lastPosition), xLabel, Linear.of(yMax), yLabel);
            for (int s = 0; s < lines.size(); s++) {
                canvas.polyline(lines.get(s)[0], lines.get(s)[1], legend.get(s).style());
            }
        }
        canvas.write(png);
    }

    /**
     * Offered rate against p99, a line with markers per series; each point is {offered rate per second, p99 ms}, a
     * point with a NaN coordinate is skipped. Series named "system run N" share the colour of their system and differ
     * in dash and marker. The p99 axis is logarithmic; the rate axis too when the rates span more than a factor 20.
     */
    public static void throughputAgainstP99(Path png, String title, Map<String, List<double[]>> pointsBySeries,
            double limitMs) throws IOException {
        Objects.requireNonNull(pointsBySeries, "pointsBySeries");
        checkReference("limitMs", limitMs);
        Map<String, Integer> colourBySystem = new LinkedHashMap<>();
        Map<String, Integer> runsBySystem = new LinkedHashMap<>();
        List<LegendEntry> legend = new ArrayList<>();
        List<double[][]> lines = new ArrayList<>();
        Range rates = new Range();
        Range p99s = new Range();
        p99s.add(limitMs);
        for (Map.Entry<String, List<double[]>> series : pointsBySeries.entrySet()) {
            String name = series.getKey();
            List<double[]> points = new ArrayList<>();
            for (double[] point : Objects.requireNonNull(series.getValue(), () -> "no points for series " + name)) {
                if (point == null || point.length != 2) {
                    throw new IllegalArgumentException("a point of series " + name + " is not {rate, p99 ms}");
                }
                if (Double.isNaN(point[0]) || Double.isNaN(point[1])) {
                    continue;
                }
                rates.add(check(name, point[0]));
                p99s.add(check(name, point[1]));
                points.add(point);
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            lines.add(new double[][] {
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()});
            int run = name.indexOf(" run ");
            String system = run < 0 ? name : name.substring(0, run);
            int colour = colourBySystem.computeIfAbsent(system, k -> colourBySystem.size());
            int variant = runsBySystem.merge(system, 1, Integer::sum) - 1;
            Style style = new Style(PALETTE[colour % PALETTE.length], DASHES[variant % DASHES.length],
                    MARKERS[variant % MARKERS.length]);
            legend.add(new LegendEntry(points.isEmpty() ? name + " (no data)" : name, style, false));
        }
        Canvas canvas = new Canvas(title, legend);
        boolean logRates = rates.minPositive > 0 && rates.max / rates.minPositive > 20;
        String xLabel = "offered rate (per second" + (logRates ? ", log scale)" : ")");
        String yLabel = "p99 latency (ms, log scale)";
        if (rates.count == 0) {
            canvas.noData(xLabel, yLabel);
        } else {
            Scale x = logRates ? Log.of(rates.minPositive, rates.max) : Linear.of(rates.max);
            canvas.axes(x, xLabel, Log.of(p99s.minPositive, p99s.max), yLabel);
            for (int s = 0; s < lines.size(); s++) {
                canvas.polyline(lines.get(s)[0], lines.get(s)[1], legend.get(s).style());
            }
            canvas.reference(limitMs, "limit " + format(limitMs, 3) + " ms");
        }
        canvas.write(png);
    }

    /**
     * Grouped bars: {@code runsBySeries.get(s).get(c)} holds the per-run values of series s in category c. The bar is
     * their median (written above it), each run a dot; an empty array (or only NaN) gives no bar but "n/a".
     */
    public static void bars(Path png, String title, String unit, List<String> categories,
            Map<String, List<double[]>> runsBySeries) throws IOException {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(runsBySeries, "runsBySeries");
        List<LegendEntry> legend = new ArrayList<>();
        List<List<double[]>> runs = new ArrayList<>();
        Range values = new Range();
        for (Map.Entry<String, List<double[]>> series : runsBySeries.entrySet()) {
            List<double[]> byCategory = Objects.requireNonNull(series.getValue(),
                    () -> "no values for series " + series.getKey());
            if (byCategory.size() != categories.size()) {
                throw new IllegalArgumentException("series " + series.getKey() + " has " + byCategory.size()
                        + " entries for " + categories.size() + " categories");
            }
            for (double[] perRun : byCategory) {
                Objects.requireNonNull(perRun, () -> "null runs in series " + series.getKey());
                for (double v : perRun) {
                    if (!Double.isNaN(v)) {
                        values.add(check(series.getKey(), v));
                    }
                }
            }
            runs.add(byCategory);
            legend.add(new LegendEntry(series.getKey(), line(legend.size()), true));
        }
        Canvas canvas = new Canvas(title, legend);
        if (values.count == 0) {
            canvas.noData(null, unit);
        } else {
            // headroom for the value written above the tallest bar
            canvas.axes(new Categories(categories), null, Linear.of(values.max * 1.08), unit);
            for (int c = 0; c < categories.size(); c++) {
                for (int s = 0; s < runs.size(); s++) {
                    canvas.bar(c, s, runs.size(), runs.get(s).get(c), legend.get(s).style().color());
                }
            }
        }
        canvas.write(png);
    }

    /**
     * A timeline of 1-second windows: index = seconds since the stack reported ready, value = that window's p99 in
     * ms, NaN = no data (a gap in the line); a dashed line marks the target.
     */
    public static void windows(Path png, String title, Map<String, double[]> valueBySecond, double targetMs)
            throws IOException {
        Objects.requireNonNull(valueBySecond, "valueBySecond");
        checkReference("targetMs", targetMs);
        List<LegendEntry> legend = new ArrayList<>();
        Range values = new Range();
        int seconds = 0;
        for (Map.Entry<String, double[]> series : valueBySecond.entrySet()) {
            double[] perSecond = Objects.requireNonNull(series.getValue(), () -> "no array for " + series.getKey());
            int before = values.count;
            for (double v : perSecond) {
                if (!Double.isNaN(v)) {
                    values.add(check(series.getKey(), v));
                }
            }
            seconds = Math.max(seconds, perSecond.length);
            String text = values.count == before ? series.getKey() + " (no data)" : series.getKey();
            legend.add(new LegendEntry(text, line(legend.size()), false));
        }
        Canvas canvas = new Canvas(title, legend);
        String xLabel = "seconds since the stack reported ready (s)";
        String yLabel = "p99 of the 1-second window (ms)";
        if (values.count == 0) {
            canvas.noData(xLabel, yLabel);
        } else {
            canvas.axes(Linear.of(Math.max(seconds - 1, 1)), xLabel, Linear.of(Math.max(values.max, targetMs)),
                    yLabel);
            int s = 0;
            for (double[] perSecond : valueBySecond.values()) {
                double[] xs = new double[perSecond.length];
                Arrays.setAll(xs, i -> i);
                canvas.polyline(xs, perSecond, legend.get(s++).style());
            }
            canvas.reference(targetMs, "target " + format(targetMs, 3) + " ms");
        }
        canvas.write(png);
    }

    private static Style line(int series) {
        return new Style(PALETTE[series % PALETTE.length], null, Marker.NONE);
    }

    /**
     * The nines position (-log10(1 - p/100)) of the highest percentile with about ten samples beyond it; at least
     * p90, so that a small sample still gives a readable line.
     */
    private static double lastPosition(int samples) {
        return Math.max(1, Math.log10((double) samples / SAMPLES_BEYOND_LAST_PERCENTILE));
    }

    private static double check(String series, double value) {
        if (!(value >= 0 && value <= MAX_VALUE)) {
            throw new IllegalArgumentException("series " + series + " has the value " + value
                    + ", expected a measurement between 0 and " + MAX_VALUE);
        }
        return value;
    }

    private static void checkReference(String name, double value) {
        if (!(value > 0 && value <= MAX_VALUE)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + value);
        }
    }

    /** {@code significant} significant digits, no exponent, k/M/G/T from 10,000 on so that tick labels stay short. */
    static String format(double value, int significant) {
        double magnitude = Math.abs(value);
        String suffix = "";
        if (magnitude >= 1e12) {
            value /= 1e12;
            suffix = "T";
        } else if (magnitude >= 1e9) {
            value /= 1e9;
            suffix = "G";
        } else if (magnitude >= 1e6) {
            value /= 1e6;
            suffix = "M";
        } else if (magnitude >= 1e4) {
            value /= 1e3;
            suffix = "k";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(significant)).stripTrailingZeros();
        return (rounded.signum() == 0 ? "0" : rounded.toPlainString()) + suffix;
    }

    private record Style(Color color, float[] dash, Marker marker) {
    }

    private record LegendEntry(String text, Style style, boolean swatch) {
    }

    private record Tick(double value, String label) {
    }

    /** Count, smallest positive value and maximum of the values seen. */
    private static final class Range {
        int count;
        double minPositive = Double.POSITIVE_INFINITY;
        double max;

        void add(double value) {
            count++;
            max = Math.max(max, value);
            if (value > 0) {
                minPositive = Math.min(minPositive, value);
            }
        }
    }

    /** Maps a data value to the fraction 0 (axis start) … 1 (axis end) of its axis, clamped. */
    private interface Scale {
        double fraction(double value);

        List<Tick> ticks();

        /** A categorical axis has no vertical gridlines and its labels are cut to their slot. */
        default boolean categorical() {
            return false;
        }
    }

    /** An axis without ticks, for a chart with nothing to show. */
    private record Blank() implements Scale {
        @Override
        public double fraction(double value) {
            return 0;
        }

        @Override
        public List<Tick> ticks() {
            return List.of();
        }
    }

    /** From 0 to a rounded maximum, ticks at steps of 1, 2, 2.5 or 5 times a power of ten. */
    private record Linear(double max, double step) implements Scale {
        static Linear of(double dataMax) {
            double target = dataMax > 0 ? dataMax * 1.04 : 1;
            double magnitude = Math.pow(10, Math.floor(Math.log10(target / 5)));
            double normalized = target / 5 / magnitude;
            double step = magnitude * (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5
                    : normalized <= 5 ? 5 : 10);
            return new Linear(Math.ceil(target / step - 1e-9) * step, step);
        }

        @Override
        public double fraction(double value) {
            return clamp(value / max);
        }

        @Override
        public List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            long count = Math.round(max / step);
            for (long k = 0; k <= count; k++) {
                ticks.add(new Tick(k * step, format(k * step, 4)));
            }
            return ticks;
        }
    }

    /**
     * From 1, 2 or 5 times a power of ten at or below the data to one at or above it; ticks at the decades, at 2 and 5
     * times them too on a short axis, and at both ends unless the axis is long.
     */
    private record Log(double low, double high) implements Scale {
        private static final double[] MANTISSAS = {1, 2, 5, 10};

        static Log of(double minPositive, double max) {
            if (!(minPositive <= max)) {
                return new Log(1, 10);
            }
            double low = roundDown(minPositive);
            double high = roundUp(max);
            return new Log(low, high > low ? high : roundUp(high * 1.01));
        }

        private static double roundDown(double value) {
            double decade = Math.pow(10, Math.floor(Math.log10(value)));
            for (int i = MANTISSAS.length - 1; i > 0; i--) {
                if (MANTISSAS[i] * decade <= value * (1 + 1e-9)) {
                    return MANTISSAS[i] * decade;
                }
            }
            return decade;
        }

        private static double roundUp(double value) {
            double decade = Math.pow(10, Math.floor(Math.log10(value)));
            for (double mantissa : MANTISSAS) {
                if (mantissa * decade >= value * (1 - 1e-9)) {
                    return mantissa * decade;
                }
            }
            return 10 * decade;
        }

        @Override
        public double fraction(double value) {
            return value <= 0 ? 0 : clamp(Math.log(value / low) / Math.log(high / low));
        }

        @Override
        public List<Tick> ticks() {
            double decades = Math.log10(high / low);
            int stride = (int) Math.max(1, Math.ceil(decades / 8));
            int first = (int) Math.floor(Math.log10(low));
            List<Double> values = new ArrayList<>();
            for (int e = first; e <= Math.ceil(Math.log10(high)); e += stride) {
                for (double mantissa : decades <= 2.5 ? new double[] {1, 2, 5} : new double[] {1}) {
                    values.add(mantissa * Math.pow(10, e));
                }
            }
            if (decades <= 4) {
                values.addAll(List.of(low, high));
            }
            List<Tick> ticks = new ArrayList<>();
            values.stream().filter(v -> v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)).sorted()
                    .forEach(v -> {
                        String label = format(v, 3);
                        if (ticks.isEmpty() || !ticks.get(ticks.size() - 1).label().equals(label)) {
                            ticks.add(new Tick(v, label));
                        }
                    });
            return ticks;
        }
    }

    /** Percentiles at position -log10(1 - p/100), from p0 to the given position. */
    private record Nines(double last) implements Scale {
        @Override
        public double fraction(double position) {
            return clamp(position / last);
        }

        @Override
        public List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>(List.of(new Tick(0, "p0"), new Tick(Math.log10(2), "p50")));
            for (int nines = 1; nines <= last + 1e-9; nines++) {
                String percentile = BigDecimal.valueOf(100).subtract(BigDecimal.valueOf(100).movePointLeft(nines))
                        .stripTrailingZeros().toPlainString();
                ticks.add(new Tick(nines, "p" + percentile));
            }
            return ticks;
        }
    }

    /** One slot per category, its label under the slot's middle. */
    private record Categories(List<String> names) implements Scale {
        @Override
        public double fraction(double index) {
            return (index + 0.5) / names.size();
        }

        @Override
        public List<Tick> ticks() {
            List<Tick> ticks = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                ticks.add(new Tick(i, String.valueOf(names.get(i))));
            }
            return ticks;
        }

        @Override
        public boolean categorical() {
            return true;
        }
    }

    private static double clamp(double fraction) {
        return Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    }

    private enum Marker {
        NONE, CIRCLE, SQUARE, TRIANGLE, DIAMOND;

        Shape at(double x, double y) {
            double r = 4;
            return switch (this) {
                case NONE -> new Rectangle2D.Double(x, y, 0, 0);
                case CIRCLE -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
                case SQUARE -> new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
                case TRIANGLE -> polygon(x, y - r - 1, x + r + 1, y + r, x - r - 1, y + r);
                case DIAMOND -> polygon(x, y - r - 1, x + r + 1, y, x, y + r + 1, x - r - 1, y);
            };
        }

        private static Shape polygon(double... xy) {
            Path2D.Double path = new Path2D.Double();
            path.moveTo(xy[0], xy[1]);
            for (int i = 2; i < xy.length; i += 2) {
                path.lineTo(xy[i], xy[i + 1]);
            }
            path.closePath();
            return path;
        }
    }

    /** One chart being drawn: title and legend on top, then axes, then the data inside the plot rectangle. */
    private static final class Canvas {
        private static final int MARGIN = 20;
        private static final int LEGEND_ROW = 20;
        private static final int SAMPLE = 30;

        private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private final int top;
        private Rectangle plot;
        private Scale x;
        private Scale y;

        Canvas(String title, List<LegendEntry> legend) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(INK);
            g.setFont(TITLE_FONT);
            String fitted = fit(Objects.requireNonNull(title, "title"), WIDTH - 2 * MARGIN);
            g.drawString(fitted, (WIDTH - g.getFontMetrics().stringWidth(fitted)) / 2, 30);
            top = drawLegend(legend, 56) + 14;
        }

        /** Lays the entries out in rows under the title; returns the y below the last row. */
        private int drawLegend(List<LegendEntry> legend, int baseline) {
            g.setFont(TICK_FONT);
            FontMetrics metrics = g.getFontMetrics();
            int maxText = WIDTH - 2 * MARGIN - SAMPLE - 8;
            List<List<String>> rows = new ArrayList<>();
            List<List<LegendEntry>> rowEntries = new ArrayList<>();
            int rowWidth = 0;
            List<Integer> widths = new ArrayList<>();
            for (LegendEntry entry : legend) {
                String text = fit(String.valueOf(entry.text()), maxText);
                int width = SAMPLE + 8 + metrics.stringWidth(text);
                if (rows.isEmpty() || rowWidth + 24 + width > WIDTH - 2 * MARGIN) {
                    rows.add(new ArrayList<>());
                    rowEntries.add(new ArrayList<>());
                    widths.add(0);
                    rowWidth = -24;
                }
                rowWidth += 24 + width;
                rows.get(rows.size() - 1).add(text);
                rowEntries.get(rows.size() - 1).add(entry);
                widths.set(rows.size() - 1, rowWidth);
            }
            for (int r = 0; r < rows.size(); r++) {
                int x = (WIDTH - widths.get(r)) / 2;
                int y = baseline + r * LEGEND_ROW;
                for (int i = 0; i < rows.get(r).size(); i++) {
                    LegendEntry entry = rowEntries.get(r).get(i);
                    int middle = y - metrics.getAscent() / 2 + 1;
                    if (entry.swatch()) {
                        g.setColor(entry.style().color());
                        g.fillRect(x + 6, middle - 6, SAMPLE - 12, 12);
                    } else {
                        stroke(entry.style());
                        g.draw(new Line2D.Double(x, middle, x + SAMPLE, middle));
                        g.fill(entry.style().marker().at(x + SAMPLE / 2.0, middle));
                    }
                    g.setColor(INK);
                    String text = rows.get(r).get(i);
                    g.drawString(text, x + SAMPLE + 8, y);
                    x += SAMPLE + 8 + metrics.stringWidth(text) + 24;
                }
            }
            return baseline + (rows.size() - 1) * LEGEND_ROW + metrics.getDescent();
        }

        /** Fixes the plot rectangle from the tick labels' width and draws gridlines, ticks and axis labels. */
        void axes(Scale x, String xLabel, Scale y, String yLabel) {
            this.x = x;
            this.y = y;
            g.setFont(TICK_FONT);
            FontMetrics metrics = g.getFontMetrics();
            int labelWidth = y.ticks().stream().mapToInt(t -> metrics.stringWidth(t.label())).max().orElse(0);
            int left = MARGIN + 22 + labelWidth + 8;
            plot = new Rectangle(left, top, WIDTH - MARGIN - 14 - left, HEIGHT - 58 - top);
            g.setStroke(new BasicStroke(1f));
            for (Tick tick : y.ticks()) {
                int py = (int) Math.round(py(tick.value()));
                g.setColor(GRID);
                g.drawLine(plot.x, py, plot.x + plot.width, py);
                g.setColor(INK);
                g.drawString(tick.label(), plot.x - 8 - metrics.stringWidth(tick.label()),
                        py + metrics.getAscent() / 2 - 1);
            }
            int slot = plot.width / Math.max(1, x.ticks().size());
            int lastRight = Integer.MIN_VALUE;
            for (Tick tick : x.ticks()) {
                int px = (int) Math.round(px(tick.value()));
                if (!x.categorical()) {
                    g.setColor(GRID);
                    g.drawLine(px, plot.y, px, plot.y + plot.height);
                }
                g.setColor(AXIS);
                g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 4);
                String label = x.categorical() ? fit(tick.label(), slot - 6) : tick.label();
                int width = metrics.stringWidth(label);
                // close ticks (a crowded nines or log axis) keep the first label rather than overprint
                if (px - width / 2 > lastRight + 6) {
                    g.setColor(INK);
                    g.drawString(label, px - width / 2, plot.y + plot.height + 8 + metrics.getAscent());
                    lastRight = px + width / 2;
                }
            }
            g.setColor(AXIS);
            g.drawLine(plot.x, plot.y, plot.x, plot.y + plot.height);
            g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height);
            g.setFont(LABEL_FONT);
            g.setColor(INK);
            FontMetrics labelMetrics = g.getFontMetrics();
            if (xLabel != null) {
                String fitted = fit(xLabel, plot.width);
                g.drawString(fitted, plot.x + (plot.width - labelMetrics.stringWidth(fitted)) / 2, HEIGHT - 14);
            }
            String fitted = fit(yLabel, plot.height);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(MARGIN + labelMetrics.getAscent(), plot.y + (plot.height + labelMetrics.stringWidth(
                    fitted)) / 2.0);
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(fitted, 0, 0);
            rotated.dispose();
        }

        /** Empty axes saying there is nothing to show. */
        void noData(String xLabel, String yLabel) {
            axes(new Blank(), xLabel, new Blank(), yLabel);
            g.setFont(LABEL_FONT.deriveFont(Font.BOLD, 16f));
            g.setColor(MUTED);
            int width = g.getFontMetrics().stringWidth("no data");
            g.drawString("no data", plot.x + (plot.width - width) / 2, plot.y + plot.height / 2);
        }

        /** The series as a line; NaN breaks it, and a point alone between gaps is drawn as a dot. */
        void polyline(double[] xs, double[] ys, Style style) {
            Graphics2D clipped = (Graphics2D) g.create();
            clipped.clip(new Rectangle(plot.x - 6, plot.y - 6, plot.width + 12, plot.height + 12));
            Path2D.Double path = new Path2D.Double();
            List<double[]> dots = new ArrayList<>();
            boolean drawing = false;
            for (int i = 0; i < xs.length; i++) {
                if (Double.isNaN(ys[i])) {
                    drawing = false;
                    continue;
                }
                double px = px(xs[i]);
                double py = py(ys[i]);
                boolean alone = (i == 0 || Double.isNaN(ys[i - 1])) && (i + 1 == xs.length || Double.isNaN(ys[i + 1]));
                if (alone || style.marker() != Marker.NONE) {
                    dots.add(new double[] {px, py});
                }
                if (drawing) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    drawing = true;
                }
            }
            stroke(clipped, style);
            clipped.draw(path);
            Marker marker = style.marker() == Marker.NONE ? Marker.CIRCLE : style.marker();
            for (double[] dot : dots) {
                Shape shape = style.marker() == Marker.NONE
                        ? new Ellipse2D.Double(dot[0] - 2.5, dot[1] - 2.5, 5, 5) : marker.at(dot[0], dot[1]);
                clipped.fill(shape);
            }
            clipped.dispose();
        }

        /** A dashed horizontal reference line (a limit, a target) labelled at its right end, drawn over the data. */
        void reference(double value, String label) {
            double py = py(value);
            g.setColor(REFERENCE);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f},
                    0f));
            g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
            g.setFont(VALUE_FONT);
            int width = g.getFontMetrics().stringWidth(label);
            // below the line when it runs along the top of the plot
            double baseline = py - plot.y < 16 ? py + 14 : py - 5;
            g.setColor(Color.WHITE);
            g.fill(new Rectangle2D.Double(plot.x + plot.width - width - 8, baseline - 11, width + 4, 14));
            g.setColor(REFERENCE);
            g.drawString(label, plot.x + plot.width - width - 6, (float) baseline);
        }

        /** Bar {@code series} of {@code count} in category slot {@code category}: the median, a dot per run. */
        void bar(int category, int series, int count, double[] runs, Color color) {
            double slot = (double) plot.width / x.ticks().size();
            double barWidth = Math.min(80, slot * 0.8 / count);
            double left = px(category) - barWidth * count / 2 + series * barWidth;
            double middle = left + barWidth / 2;
            double base = py(0);
            g.setFont(VALUE_FONT);
            FontMetrics metrics = g.getFontMetrics();
            double median = Stats.median(runs);
            if (Double.isNaN(median)) {
                g.setColor(MUTED);
                g.drawString("n/a", (float) (middle - metrics.stringWidth("n/a") / 2.0), (float) base - 5);
                return;
            }
            double top = py(median);
            g.setColor(color);
            g.fill(new Rectangle2D.Double(left + 2, top, barWidth - 4, base - top));
            double highest = top;
            int finite = (int) Arrays.stream(runs).filter(v -> !Double.isNaN(v)).count();
            double spread = Math.min(7, (barWidth - 10) / Math.max(1, finite));
            int i = 0;
            for (double run : runs) {
                if (Double.isNaN(run)) {
                    continue;
                }
                double dx = middle + (i++ - (finite - 1) / 2.0) * spread;
                double dy = py(run);
                highest = Math.min(highest, dy - 3.5);
                Shape dot = new Ellipse2D.Double(dx - 3.5, dy - 3.5, 7, 7);
                g.setColor(INK);
                g.fill(dot);
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(1f));
                g.draw(dot);
            }
            String value = format(median, 3);
            String fitted = metrics.stringWidth(value) <= barWidth + 10 ? value : fit(value, (int) barWidth + 10);
            g.setColor(INK);
            g.drawString(fitted, (float) (middle - metrics.stringWidth(fitted) / 2.0), (float) highest - 4);
        }

        void write(Path png) throws IOException {
            g.dispose();
            Path parent = Objects.requireNonNull(png, "png").toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
        }

        private double px(double value) {
            return plot.x + x.fraction(value) * plot.width;
        }

        private double py(double value) {
            return plot.y + plot.height - y.fraction(value) * plot.height;
        }

        private void stroke(Style style) {
            stroke(g, style);
        }

        private static void stroke(Graphics2D target, Style style) {
            target.setColor(style.color());
            target.setStroke(style.dash() == null
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, style.dash(), 0f));
        }

        /** The text, cut with an ellipsis to {@code width} pixels in the current font. */
        private String fit(String text, int width) {
            FontMetrics metrics = g.getFontMetrics();
            if (metrics.stringWidth(text) <= width) {
                return text;
            }
            // binary search on the length: a title of a million characters must not take a million measurements
            int fits = 0;
            int tooLong = text.length();
            while (tooLong - fits > 1) {
                int length = (fits + tooLong) / 2;
                if (metrics.stringWidth(text.substring(0, length) + "…") <= width) {
                    fits = length;
                } else {
                    tooLong = length;
                }
            }
            return text.substring(0, fits) + "…";
        }
    }
}
