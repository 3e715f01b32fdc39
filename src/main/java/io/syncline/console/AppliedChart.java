package io.syncline.console;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Applied events per hour over the last day as an SVG bar chart drawn on the server: no chart
 * library, no script, readable by a screen reader through its title and description.
 */
final class AppliedChart {

    private static final int HOURS = 24;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 120;

    private AppliedChart() {
    }

    static String lastDay(AgroalDataSource dataSource, Instant now) throws SQLException {
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        long[] perHour = new long[HOURS];
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT finished_at FROM inbox WHERE status = 'done' AND finished_at >= ?")) {
            select.setTimestamp(1, Timestamp.from(start));
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int hour = (int) Duration.between(start, rows.getTimestamp(1).toInstant()).toHours();
                    if (hour >= 0 && hour < HOURS) {
                        perHour[hour]++;
                    }
                }
            }
        }
        return svg(perHour);
    }

    static String svg(long[] perHour) {
        long max = 1;
        long total = 0;
        for (long count : perHour) {
            max = Math.max(max, count);
            total += count;
        }
        int bar = WIDTH / perHour.length;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + WIDTH
                + "\" height=\"" + (HEIGHT + 16) + "\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">Applied events"
                + " per hour, last 24 hours</title><desc id=\"chart-desc\">" + total + " events applied; at most " + max
                + " in one hour</desc>");
        for (int i = 0; i < perHour.length; i++) {
            long height = Math.round((double) perHour[i] / max * HEIGHT);
            svg.append("<rect x=\"").append(i * bar + 1).append("\" y=\"").append(HEIGHT - height).append("\" width=\"")
                    .append(bar - 2).append("\" height=\"").append(height).append("\" fill=\"#0b5cad\"><title>")
                    .append(perHour[i]).append(" applied</title></rect>");
        }
        svg.append("<line x1=\"0\" y1=\"").append(HEIGHT).append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(HEIGHT)
                .append("\" stroke=\"#4a5563\"/><text x=\"0\" y=\"").append(HEIGHT + 14)
                .append("\" font-size=\"11\" fill=\"#4a5563\">24 h ago</text><text x=\"").append(WIDTH - 30).append("\" y=\"")
                .append(HEIGHT + 14).append("\" font-size=\"11\" fill=\"#4a5563\">now</text></svg>");
        return svg.toString();
    }
}
