package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The scheduler's Prometheus metrics, for the benchmark to wait on: unlike DescribeClusters,
 * a scrape does not walk every instance, so waiting does not load what is measured.
 */
final class SchedulerMetrics {

    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();

    SchedulerMetrics(BerthProcess scheduler) {
        this.metrics = URI.create("http://127.0.0.1:" + scheduler.managementPort() + "/q/metrics");
    }

    /** Tasks the scheduler holds in {@code status} (berth_tasks), or -1 when unknown. */
    double tasks(String status) {
        return value("berth_tasks{role=\"scheduler\",status=\"" + status + "\"}");
    }

    /** Records the state reader is behind on {@code topic} (berth_consumer_lag_records), or -1 when unknown. */
    double lag(String topic) {
        return value("berth_consumer_lag_records{reader=\"berth-scheduler-state\",topic=\"" + topic + "\"}");
    }

    /**
     * The calls that waited for their plan's transaction, and the seconds they waited in all
     * ({@code berth_reconcile_seconds{loop="scheduler-plan"}}, count and sum); {-1, -1} when unknown.
     */
    double[] planWaits() {
        double count = -1;
        double sum = -1;
        for (String line : scrape().split("\n")) {
            if (line.contains("loop=\"scheduler-plan\"")) {
                if (line.startsWith("berth_reconcile_seconds_count{")) {
                    count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("berth_reconcile_seconds_sum{")) {
                    sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return new double[] {count, sum};
    }

    private double value(String series) {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    private String scrape() {
        try {
            return http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
