package dev.chatcentral.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Charts read back from their PNG: size, each series in its colour, and hostile inputs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChartsTest {

    private static final Color BLUE = Charts.PALETTE[0];
    private static final Color ORANGE = Charts.PALETTE[1];
    private static final Color GREEN = Charts.PALETTE[2];
    /** Below the title and a one-row legend, so a colour found here was drawn in the plot. */
    private static final int PLOT_TOP = 80;

    @TempDir
    Path dir;

    @Test
    void percentilesDrawOneLinePerSeriesInItsColour() throws IOException {
        BufferedImage image = percentiles(Map.of(
                "chat-central", LongStream.rangeClosed(1, 5_000).map(i -> i * 10).toArray(),
                "peer A", LongStream.rangeClosed(1, 5_000).map(i -> i * 30).toArray()));

        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(520);
        assertThat(pixels(image, BLUE).size()).isGreaterThan(300);
        assertThat(pixels(image, ORANGE).size()).isGreaterThan(300);
        assertThat(pixels(image, GREEN)).isEmpty();
    }

    @Test
    void percentileLineOfLargerLatenciesSitsHigher() throws IOException {
        long[] fast = LongStream.range(0, 2_000).map(i -> 1_000 + (i * 7919) % 1_000).toArray(); // unsorted
        long[] slow = LongStream.range(0, 2_000).map(i -> 10 * (1_000 + (i * 7919) % 1_000)).toArray();
        BufferedImage image = percentiles(Map.of("fast", fast, "slow", slow));

        assertThat(meanY(pixels(image, ORANGE))).isLessThan(meanY(pixels(image, BLUE)) - 100);
    }

    @Test
    void throughputDrawsRunsOfOneSystemInOneColour() throws IOException {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        points.put("chat-central run 1", List.of(new double[] {100, 5}, new double[] {1_000, 8},
                new double[] {10_000, 900}));
        points.put("chat-central run 2", List.of(new double[] {100, 6}, new double[] {1_000, 9}));
        points.put("peer A run 1", List.of(new double[] {1_000, 40}, new double[] {100, 20}));
        Path png = dir.resolve("throughput.png");

        Charts.throughputAgainstP99(png, "rate against p99", points, 500);

        BufferedImage image = read(png);
        assertThat(pixels(image, BLUE).size()).isGreaterThan(300);
        assertThat(pixels(image, ORANGE).size()).isGreaterThan(100);
        assertThat(pixels(image, GREEN)).as("the second run is not a third system").isEmpty();
    }

    @Test
    void barOfTwiceTheValueIsTwiceAsTall() throws IOException {
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        runs.put("chat-central", List.of(new double[] {190, 200, 230}));
        runs.put("peer A", List.of(new double[] {100, 90, 120}));
        Path png = dir.resolve("bars.png");

        Charts.bars(png, "bars", "webhooks/s", List.of("throughput"), runs);

        BufferedImage image = read(png);
        List<int[]> blue = pixels(image, BLUE);
        List<int[]> orange = pixels(image, ORANGE);
        assertThat((double) height(blue) / height(orange)).isCloseTo(2.0, within(0.05));
    }

    @Test
    void categoryWithoutRunsHasNoBar() throws IOException {
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        runs.put("chat-central", List.of(new double[] {3}, new double[] {4}));
        runs.put("peer A", List.of(new double[] {}, new double[] {Double.NaN}));
        Path png = dir.resolve("bars.png");

        Charts.bars(png, "bars", "s", List.of("restart", "recovery"), runs);

        BufferedImage image = read(png);
        assertThat(pixels(image, BLUE)).isNotEmpty();
        assertThat(pixels(image, ORANGE)).isEmpty();
    }

    @Test
    void nanLeavesAGapInTheTimeline() throws IOException {
        double[] withGap = new double[30];
        double[] without = new double[30];
        for (int i = 0; i < 30; i++) {
            without[i] = 20;
            withGap[i] = i >= 10 && i < 20 ? Double.NaN : 20;
        }
        Path gap = dir.resolve("gap.png");
        Path whole = dir.resolve("whole.png");

        Charts.windows(gap, "gap", Map.of("run 1", withGap), 100);
        Charts.windows(whole, "whole", Map.of("run 1", without), 100);

        assertThat(widestGap(pixels(read(gap), BLUE))).isGreaterThan(200);
        assertThat(widestGap(pixels(read(whole), BLUE))).isLessThan(3);
    }

    @Test
    void windowsDrawEachRunInItsColour() throws IOException {
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("run 1", new double[] {50, 40, 30, 30});
        runs.put("run 2", new double[] {Double.NaN, 60, 45, 35, 35});
        runs.put("run 3", new double[] {10});
        Path png = dir.resolve("windows.png");

        Charts.windows(png, "windows", runs, 100);

        BufferedImage image = read(png);
        assertThat(pixels(image, BLUE)).isNotEmpty();
        assertThat(pixels(image, ORANGE)).isNotEmpty();
        assertThat(pixels(image, GREEN)).as("a single window is a dot").isNotEmpty();
    }

    @Test
    void emptyInputsGiveAReadableChart() throws IOException {
        Charts.percentiles(dir.resolve("1.png"), "t", Map.of());
        Charts.percentiles(dir.resolve("2.png"), "t", Map.of("chat-central", new long[0]));
        Charts.throughputAgainstP99(dir.resolve("3.png"), "t", Map.of(), 500);
        Charts.throughputAgainstP99(dir.resolve("4.png"), "t", Map.of("a", List.of()), 500);
        Charts.bars(dir.resolve("5.png"), "t", "ms", List.of(), Map.of());
        Charts.bars(dir.resolve("6.png"), "t", "ms", List.of("c"), Map.of("a", List.of(new double[0])));
        Charts.windows(dir.resolve("7.png"), "t", Map.of(), 100);
        Charts.windows(dir.resolve("8.png"), "t", Map.of("a", new double[] {Double.NaN}), 100);

        for (int i = 1; i <= 8; i++) {
            assertReadable(read(dir.resolve(i + ".png")));
        }
    }

    @Test
    void singleZeroAndHugeValuesGiveAReadableChart() throws IOException {
        Charts.percentiles(dir.resolve("1.png"), "t", Map.of("one", new long[] {1_500}));
        Charts.percentiles(dir.resolve("2.png"), "t", Map.of("zeros", new long[] {0, 0, 0}));
        Charts.percentiles(dir.resolve("3.png"), "t", Map.of("huge", new long[] {1_000, 1_000_000_000_000L}));
        Charts.throughputAgainstP99(dir.resolve("4.png"), "t", Map.of("a", List.of(new double[] {0, 0})), 500);
        Charts.throughputAgainstP99(dir.resolve("5.png"), "t",
                Map.of("a", List.of(new double[] {1, 1e12}, new double[] {1e12, 0.001}, new double[] {Double.NaN, 3})),
                500);
        Charts.bars(dir.resolve("6.png"), "t", "ms", List.of("c"), Map.of("a", List.of(new double[] {0})));
        Charts.bars(dir.resolve("7.png"), "t", "ms", List.of("c", "d"),
                Map.of("a", List.of(new double[] {1e12}, new double[] {1})));
        Charts.windows(dir.resolve("8.png"), "t", Map.of("a", new double[] {0, 0}), 100);
        Charts.windows(dir.resolve("9.png"), "t", Map.of("a", new double[] {1e12, 1}), 1e12);
        Charts.windows(dir.resolve("10.png"), "x".repeat(200_000), Map.of("y".repeat(10_000), new double[200_000]),
                1);

        for (int i = 1; i <= 10; i++) {
            assertReadable(read(dir.resolve(i + ".png")));
        }
    }

    @Test
    void valuesThatCannotBeMeasurementsAreRefused() {
        Path png = dir.resolve("x.png");
        assertThatThrownBy(() -> Charts.percentiles(png, "t", Map.of("a", new long[] {5, -1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series a");
        assertThatThrownBy(() -> Charts.percentiles(png, "t", Map.of("a", new long[] {Long.MAX_VALUE})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Charts.throughputAgainstP99(png, "t", Map.of("a", List.of(new double[] {-5, 1})),
                500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Charts.throughputAgainstP99(png, "t",
                Map.of("a", List.of(new double[] {5, Double.POSITIVE_INFINITY})), 500))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Charts.throughputAgainstP99(png, "t", Map.of("a", List.of(new double[] {5})), 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{rate, p99 ms}");
        assertThatThrownBy(() -> Charts.throughputAgainstP99(png, "t", Map.of(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limitMs");
        assertThatThrownBy(() -> Charts.bars(png, "t", "ms", List.of("c"), Map.of("a", List.of(new double[] {-1}))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Charts.bars(png, "t", "ms", List.of("c", "d"), Map.of("a", List.of(new double[0]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 categories");
        assertThatThrownBy(() -> Charts.windows(png, "t", Map.of("a", new double[] {-3}), 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Charts.windows(png, "t", Map.of("a", new double[] {3}), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("targetMs");
        assertThat(png).doesNotExist();
    }

    private BufferedImage percentiles(Map<String, long[]> micros) throws IOException {
        Path png = dir.resolve("percentiles.png");
        Charts.percentiles(png, "latency", ordered(micros));
        return read(png);
    }

    /** Map.of has no order; the tests name their series so that alphabetical order is the intended one. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        Map<String, V> ordered = new LinkedHashMap<>();
        map.keySet().stream().sorted().forEach(k -> ordered.put(k, map.get(k)));
        return ordered;
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png.toString()).isNotNull();
        return image;
    }

    private static void assertReadable(BufferedImage image) {
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(520);
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getRed() + c.getGreen() + c.getBlue() < 600) {
                    ink++;
                }
            }
        }
        assertThat(ink).as("title, axes and labels").isGreaterThan(1_000);
    }

    /** {x, y} of the pixels in the plot region close to the colour (antialiased edges are lighter). */
    private static List<int[]> pixels(BufferedImage image, Color color) {
        List<int[]> found = new ArrayList<>();
        for (int y = PLOT_TOP; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                int distance = Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                        + Math.abs(c.getBlue() - color.getBlue());
                if (distance < 40) {
                    found.add(new int[] {x, y});
                }
            }
        }
        return found;
    }

    private static double meanY(List<int[]> pixels) {
        assertThat(pixels).isNotEmpty();
        return pixels.stream().mapToInt(p -> p[1]).average().orElseThrow();
    }

    private static int height(List<int[]> pixels) {
        assertThat(pixels).isNotEmpty();
        int top = pixels.stream().mapToInt(p -> p[1]).min().orElseThrow();
        int bottom = pixels.stream().mapToInt(p -> p[1]).max().orElseThrow();
        return bottom - top + 1;
    }

    /** The widest run of columns without the colour between its leftmost and rightmost column. */
    private static int widestGap(List<int[]> pixels) {
        int[] columns = pixels.stream().mapToInt(p -> p[0]).distinct().sorted().toArray();
        assertThat(columns).isNotEmpty();
        int widest = 0;
        for (int i = 1; i < columns.length; i++) {
            widest = Math.max(widest, columns[i] - columns[i - 1] - 1);
        }
        return widest;
    }
}
