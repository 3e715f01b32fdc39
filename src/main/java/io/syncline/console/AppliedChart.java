package io.syncline.console;

import io.syncline.inbox.InboxCounts;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Applied events per hour over the last day (bars) and their mean lag, from acceptance to applied
 * (a line), as an SVG drawn on the server: no chart library, no script, readable by a screen
 * reader through its title, description and each bar's title.
 */
final class AppliedChart {

    private static final int HOURS = 24;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 120;

    private AppliedChart() {
    }

    static String lastDay(InboxCounts inbox, Instant now) throws SQLException {
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        long[] applied = new long[HOURS];
        double[] lagSeconds = new double[HOURS];
        inbox.forEachApplied(start, (received, finished) -> {
            int hour = (int) Duration.between(start, finished).toHours();
            if (hour >= 0 && hour < HOURS) {
                applied[hour]++;
                lagSeconds[hour] += Duration.between(received, finished).toMillis() / 1000.0;
            }
        });
        for (int hour = 0; hour < HOURS; hour++) {
            lagSeconds[hour] = applied[hour] == 0 ? 0 : lagSeconds[hour] / applied[hour];
        }
        return svg(applied, lagSeconds);
    }

    static String svg(long[] applied, double[] meanLag) {
        long most = 1;
        long total = 0;
        double longestLag = 0;
        for (int i = 0; i < applied.length; i++) {
            most = Math.max(most, applied[i]);
            total += applied[i];
            longestLag = Math.max(longestLag, meanLag[i]);
        }
        int bar = WIDTH / applied.length;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + WIDTH
                + "\" height=\"" + (HEIGHT + 16) + "\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">Applied"
                + " events per hour and their mean lag, last 24 hours</title><desc id=\"chart-desc\">" + total
                + " events applied, at most " + most + " in one hour; the longest mean lag of an hour "
                + String.format(java.util.Locale.ROOT, "%.1f", longestLag) + " s</desc>");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < applied.length; i++) {
            long height = Math.round((double) applied[i] / most * HEIGHT);
            svg.append("<rect x=\"").append(i * bar + 1).append("\" y=\"").append(HEIGHT - height).append("\" width=\"")
                    .append(bar - 2).append("\" height=\"").append(height).append("\" fill=\"#0b5cad\"><title>")
                    .append(applied[i]).append(" applied, mean lag ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", meanLag[i])).append(" s</title></rect>");
            long y = longestLag == 0 ? HEIGHT : Math.round(HEIGHT - meanLag[i] / longestLag * (HEIGHT - 4));
            line.append(line.isEmpty() ? "" : " ").append(i * bar + bar / 2).append(',').append(y);
        }
        svg.append("<polyline points=\"").append(line).append("\" fill=\"none\" stroke=\"#c2410c\" stroke-width=\"2\"/>");
        svg.append("<line x1=\"0\" y1=\"").append(HEIGHT).append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(HEIGHT)
                .append("\" stroke=\"#4a5563\"/><text x=\"0\" y=\"").append(HEIGHT + 14)
                .append("\" font-size=\"11\" fill=\"#4a5563\">24 h ago</text><text x=\"").append(WIDTH - 30).append("\" y=\"")
                .append(HEIGHT + 14).append("\" font-size=\"11\" fill=\"#4a5563\">now</text></svg>");
        return svg.toString();
    }
}
