package dev.resilience.benchmarks.storm;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PNG of an {@link OverloadSimulation}: the adaptive limit and the calls inside over time, goodput over time for
 * every guard, and the p99 latency of admitted calls per phase. Drawn headless with JFreeChart.
 */
final class OverloadPlot {

    /** One colour per guard, in the order of {@link OverloadSimulation.Guard}. */
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x7f7f7f)};

    private OverloadPlot() {
    }

    static void write(List<OverloadSimulation.Run> runs, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 1200;
        int timeHeight = 760;
        int barHeight = 400;
        BufferedImage image = new BufferedImage(width, timeHeight + barHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, timeHeight + barHeight);
        timeChart(runs).draw(g, new Rectangle2D.Double(0, 0, width, timeHeight));
        p99Chart(runs).draw(g, new Rectangle2D.Double(0, timeHeight, width, barHeight));
        g.dispose();
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(out, image);
        }
    }

    private static JFreeChart timeChart(List<OverloadSimulation.Run> runs) {
        XYSeriesCollection limits = new XYSeriesCollection();
        XYSeriesCollection inside = new XYSeriesCollection();
        XYSeriesCollection goodput = new XYSeriesCollection();
        for (OverloadSimulation.Run run : runs) {
            if (run.guard() != OverloadSimulation.Guard.NONE) {
                limits.addSeries(series(run.guard().label, run.seconds(), run.limit()));
            }
            inside.addSeries(series(run.guard().label, run.seconds(), run.inFlight()));
            XYSeries answered = new XYSeries(run.guard().label);
            for (int i = 0; i < run.seconds().length; i++) {
                answered.add(run.seconds()[i], run.goodputPerSecond()[i]);
            }
            goodput.addSeries(answered);
        }
        NumberAxis time = new NumberAxis("virtual time (s)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        plot.add(xyPlot(limits, "limit", null), 1);
        // without a bulkhead the callers waiting climb to thousands: off the scale, on purpose
        plot.add(xyPlot(inside, "calls inside", 220.0), 1);
        plot.add(xyPlot(goodput, "answered in time / s", null), 1);
        JFreeChart chart = new JFreeChart("Overload on a virtual clock: partner of " + OverloadSimulation.CAPACITY
                + " calls at " + OverloadSimulation.BASE_LATENCY.toMillis() + " ms, load 50 % → 200 % → 100 % "
                + "(3x slower, then recovered)", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(16f), plot, false);
        chart.addLegend(legend(plot));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** One legend for the three panels: the guards, in the colours every panel gives them. */
    private static org.jfree.chart.title.LegendTitle legend(CombinedDomainXYPlot plot) {
        XYPlot inside = (XYPlot) plot.getSubplots().get(1);
        org.jfree.chart.title.LegendTitle legend = new org.jfree.chart.title.LegendTitle(inside);
        legend.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
        return legend;
    }

    private static XYPlot xyPlot(XYSeriesCollection data, String axis, Double upper) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[guardIndex(data.getSeriesKey(i).toString())]);
            renderer.setSeriesStroke(i, new BasicStroke(1.2f));
        }
        NumberAxis range = new NumberAxis(axis);
        if (upper != null) {
            range.setRange(0, upper);
        }
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        double at = 0;
        for (OverloadSimulation.Phase phase : OverloadSimulation.PHASES) {
            at += phase.length().toNanos() / 1e9;
            ValueMarker marker = new ValueMarker(at, Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            plot.addDomainMarker(marker);
        }
        return plot;
    }

    private static int guardIndex(String label) {
        for (OverloadSimulation.Guard guard : OverloadSimulation.Guard.values()) {
            if (guard.label.equals(label)) {
                return guard.ordinal();
            }
        }
        return 0;
    }

    private static XYSeries series(String name, double[] x, int[] y) {
        XYSeries series = new XYSeries(name);
        for (int i = 0; i < x.length; i++) {
            series.add(x[i], y[i]);
        }
        return series;
    }

    private static JFreeChart p99Chart(List<OverloadSimulation.Run> runs) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (OverloadSimulation.Run run : runs) {
            for (OverloadSimulation.PhaseFigures phase : run.phases()) {
                data.addValue(phase.p99Millis(), run.guard().label, phase.phase().name());
            }
        }
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < runs.size(); i++) {
            renderer.setSeriesPaint(i, COLORS[runs.get(i).guard().ordinal()]);
        }
        CategoryAxis phases = new CategoryAxis("phase");
        phases.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        NumberAxis millis = new NumberAxis("p99 of admitted calls (ms)");
        CategoryPlot plot = new CategoryPlot(data, phases, millis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("p99 latency of admitted calls per phase (a timed-out call counts as its "
                + OverloadSimulation.DEADLINE.toMillis() + " ms deadline)", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(14f),
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
